using System.Data.Common;

namespace Twist.Participants.Hosting;

/// <summary>The guard's database as given to <c>UseGuard</c>/<c>UseSqliteGuard</c>: opens a new connection for one guarded call.</summary>
internal sealed class GuardConnectionSource(Func<IServiceProvider, CancellationToken, ValueTask<DbConnection>> open, IAsyncDisposable? owned = null)
    : IAsyncDisposable
{
    public ValueTask<DbConnection> OpenAsync(IServiceProvider services, CancellationToken cancellationToken) => open(services, cancellationToken);

    /// <summary>Disposes the data source the runtime created itself (UseSqliteGuard); one the app passed in stays the app's.</summary>
    public ValueTask DisposeAsync() => owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
