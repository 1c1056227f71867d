using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Twist.Participants;
using Twist.Participants.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Chooses the database of the participant guard: the one your handlers write to, so guard rows and business writes commit together.</summary>
public static class TwistParticipantBuilderExtensions
{
    /// <summary>Keeps the guard in a SQLite database (3.24 or later), e.g. <c>Data Source=wallet.db</c>.</summary>
    /// <param name="builder">The participant builder.</param>
    /// <param name="connectionString">The SQLite connection string.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>The last <c>UseSqliteGuard</c>/<c>UseGuard</c> call wins; it also wins over <c>Twist:Participant:GuardConnectionString</c>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null or empty.</exception>
    public static ITwistParticipantBuilder UseSqliteGuard(this ITwistParticipantBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return Use(builder, _ =>
        {
            var dataSource = SqliteFactory.Instance.CreateDataSource(connectionString);
            return new GuardConnectionSource((_, ct) => SqliteGuardConnections.OpenAsync(dataSource, ct), dataSource);
        });
    }

    /// <summary>Keeps the guard in the database of a data source, e.g. an <c>NpgsqlDataSource</c> (PostgreSQL) or a SQLite one.</summary>
    /// <param name="builder">The participant builder.</param>
    /// <param name="dataSource">The data source; it stays yours to dispose.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>The last <c>UseSqliteGuard</c>/<c>UseGuard</c> call wins.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public static ITwistParticipantBuilder UseGuard(this ITwistParticipantBuilder builder, DbDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return Use(builder, _ => new GuardConnectionSource((_, ct) => dataSource.OpenConnectionAsync(ct)));
    }

    /// <summary>Keeps the guard in the database of a connection factory, called once per guarded call with the call's services.</summary>
    /// <param name="builder">The participant builder.</param>
    /// <param name="connectionFactory">Returns a new (open or closed) connection; the guard opens and disposes it.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>The last <c>UseSqliteGuard</c>/<c>UseGuard</c> call wins.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="connectionFactory"/> is <see langword="null"/>.</exception>
    public static ITwistParticipantBuilder UseGuard(this ITwistParticipantBuilder builder, Func<IServiceProvider, DbConnection> connectionFactory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connectionFactory);
        return Use(builder, _ => new GuardConnectionSource((services, ct) => GuardFactory.OpenAsync(connectionFactory, services, ct)));
    }

    private static ITwistParticipantBuilder Use(ITwistParticipantBuilder builder, Func<IServiceProvider, GuardConnectionSource> create)
    {
        builder.Services.AddTwistParticipantOptions();
        builder.Services.RemoveAll<GuardConnectionSource>();
        builder.Services.AddSingleton(create);
        return builder;
    }
}
