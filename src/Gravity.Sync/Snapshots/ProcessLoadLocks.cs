using System.Collections.Concurrent;

namespace Gravity.Sync.Snapshots;

/// <summary>
/// The snapshot-load lock of a database without one of its own (SQLite): one load at a time among the synchronizers of
/// this process. An embedded database is written by one process, so that is every synchronizer that can write it.
/// </summary>
internal static class ProcessLoadLocks
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Locks = new(StringComparer.Ordinal);

    /// <summary>
    /// Takes the lock of <paramref name="database"/> (identified by its type and connection string, where SQLite paths
    /// are absolute by then), calling <paramref name="waiting"/> first when another holds it.
    /// </summary>
    public static async Task<IAsyncDisposable> AcquireAsync(string database, Action waiting, CancellationToken cancellationToken)
    {
        var gate = Locks.GetOrAdd(database, _ => new SemaphoreSlim(1, 1));
        if (!await gate.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            waiting();
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        return new Held(gate);
    }

    private sealed class Held(SemaphoreSlim gate) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}
