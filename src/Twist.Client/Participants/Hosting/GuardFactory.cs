using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twist.Participants.Diagnostics;

namespace Twist.Participants.Hosting;

/// <summary>
/// Creates the <see cref="TccGuard"/> of a scope over the configured database: the source given to <c>UseGuard</c>, else
/// a SQLite data source for <see cref="TwistParticipantOptions.GuardConnectionString"/>, created once.
/// </summary>
internal sealed class GuardFactory : IAsyncDisposable
{
    private readonly GuardConnectionSource source;
    private readonly GuardConnectionSource? ownedSource;
    private readonly TimeProvider timeProvider;
    private readonly ParticipantInstruments instruments;

    public GuardFactory(IServiceProvider services, IOptions<TwistParticipantOptions> options, TimeProvider timeProvider, ParticipantInstruments instruments)
    {
        this.timeProvider = timeProvider;
        this.instruments = instruments;
        var configured = services.GetService<GuardConnectionSource>();
        if (configured is null)
        {
            // The validator made sure a connection string exists when no source was given in code.
            var dataSource = SqliteFactory.Instance.CreateDataSource(options.Value.GuardConnectionString!);
            configured = ownedSource = new GuardConnectionSource((_, ct) => SqliteGuardConnections.OpenAsync(dataSource, ct), dataSource);
        }

        source = configured;
    }

    /// <summary>Creates the guard of one scope; the sweeper's has no instruments because it counts its own outcome (expired).</summary>
    public TccGuard Create(IServiceProvider scope, bool instrumented = true) =>
        new(ct => source.OpenAsync(scope, ct), timeProvider, instrumented ? instruments : null);

    public ValueTask DisposeAsync() => ownedSource?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Opens a connection from a factory, for <c>UseGuard(Func&lt;IServiceProvider, DbConnection&gt;)</c>.</summary>
    public static async ValueTask<DbConnection> OpenAsync(Func<IServiceProvider, DbConnection> factory, IServiceProvider services, CancellationToken cancellationToken)
    {
        var connection = factory(services) ?? throw new InvalidOperationException("The connection factory given to UseGuard returned null; it must return a new DbConnection.");
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        return connection;
    }
}
