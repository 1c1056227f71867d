using System.Data.Common;
using Gravity.Sync.Snapshots;

namespace Gravity.Sync.Targets.Sql;

/// <summary>The lock that lets one synchronizer instance at a time fill this database from a snapshot.</summary>
internal sealed partial class SqlTargetWriter
{
    private static readonly TimeSpan LoadLockRetryInterval = TimeSpan.FromMilliseconds(250);

    public async Task<IAsyncDisposable> LockSnapshotLoadAsync(Action waiting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        if (!dialect.SupportsSnapshotLoadLock)
        {
            return await ProcessLoadLocks.AcquireAsync($"{dialect.DatabaseType}|{connectionString}", waiting, cancellationToken).ConfigureAwait(false);
        }

        // A connection of its own, outside the pool: closing it ends the session, and the session's lock with it. A
        // pooled connection would go back to the pool still holding the lock.
        var unpooled = new DbConnectionStringBuilder { ConnectionString = connectionString };
        unpooled["Pooling"] = false;
        var connection = dialect.CreateConnection(unpooled.ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await dialect.OnOpenedAsync(connection, cancellationToken).ConfigureAwait(false);
            var announced = false;

            // Polled rather than a blocking lock call, so cancellation (a stop) never depends on the driver
            // interrupting a statement that waits on the server.
            while (!await dialect.TryLockSnapshotLoadAsync(connection, cancellationToken).ConfigureAwait(false))
            {
                if (!announced)
                {
                    waiting();
                    announced = true;
                }

                await Task.Delay(LoadLockRetryInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }

            return connection; // disposing it releases the lock
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
