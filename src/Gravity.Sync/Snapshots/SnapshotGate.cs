using Gravity.Sync.Engine;
using Gravity.Sync.Operations;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Snapshots;

/// <summary>
/// Stands between one database and the pipelines that feed it (one per source lane). Before the first pipeline runs it
/// finishes an interrupted load or fills a new database from its <c>SnapshotFrom</c>; an operator reset interrupts the
/// running pipelines, waits until none is inside, and loads while they wait at the gate. So rows are never applied
/// from events while a load rewrites the tables, and no pipeline starts on a half-loaded database. Loads hold the
/// database's load lock (<see cref="ISnapshotStore.LockSnapshotLoadAsync"/>), so of several instances that share a
/// source's partitions and start a new database together, one loads it and the others wait and start from its result.
/// </summary>
internal sealed class SnapshotGate(SnapshotCoordinator coordinator, DatabaseTarget target, ISnapshotStore store, SnapshotLoader loader, string? snapshotFrom, ILogger logger) : IDisposable
{
    private readonly SemaphoreSlim _lock = new(1, 1);
    private CancellationTokenSource _interrupt = new();
    private TaskCompletionSource? _idle;
    private int _active;
    private bool _ready;

    public string Database => target.Name;

    public SnapshotProgress? Progress => loader.Progress;

    public SnapshotLoaded? LastLoaded => loader.LastLoaded;

    /// <summary>Gets where the database is filled from when it is new (its <c>SnapshotFrom</c>), or <see langword="null"/>.</summary>
    public string? SnapshotFrom => snapshotFrom;

    /// <summary>
    /// Waits until the database may be written from events (loading it first when it must be), then counts the caller
    /// in. Run with the lease's <see cref="Lease.Interrupted"/> token and dispose the lease when the run ends.
    /// </summary>
    public async Task<Lease> EnterAsync(CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_ready)
            {
                await PrepareAsync(cancellationToken).ConfigureAwait(false);
                _ready = true;
            }

            Interlocked.Increment(ref _active);
            return new Lease(this, _interrupt.Token);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Interrupts the database's pipelines, empties it and fills it from <paramref name="source"/>; they resume after.</summary>
    public async Task<SnapshotResult> ResetAsync(string from, IGravitySnapshotSource source, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Until the load succeeds the database is not ready: a pipeline that enters after a failure loads it again.
            _ready = false;
            await _interrupt.CancelAsync().ConfigureAwait(false);
            await WaitIdleAsync(cancellationToken).ConfigureAwait(false);
            var interrupted = _interrupt;
            _interrupt = new CancellationTokenSource();
            interrupted.Dispose(); // no lease holds its token any more
            var held = await store.LockSnapshotLoadAsync(() => logger.SnapshotLoadWaiting(target.Name), cancellationToken).ConfigureAwait(false);
            await using (held.ConfigureAwait(false))
            {
                var result = await loader.LoadAsync(from, source, coordinator.Sources(), "operator reset", cancellationToken).ConfigureAwait(false);
                _ready = true;
                return result;
            }
        }
        finally
        {
            if (_interrupt.IsCancellationRequested)
            {
                // The reset gave up waiting: pipelines still inside keep the cancelled token, new ones get a fresh one.
                _interrupt = new CancellationTokenSource();
            }

            _lock.Release();
        }
    }

    /// <summary>Releases the gate once no pipeline runs any more (the synchronizer is disposed).</summary>
    public void Dispose()
    {
        _interrupt.Dispose();
        _lock.Dispose();
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        // Most starts have nothing to load, which needs no lock to see: a load in progress always shows its marker.
        if (await store.ReadSnapshotMarkerAsync(cancellationToken).ConfigureAwait(false) is null && !await IsNewAsync(cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        // Instances sharing a source's partitions all get here for a new database. Under the lock the state is final:
        // a marker is a load that stopped (its holder released the lock by ending), and checkpoints are a load that
        // another instance finished while this one waited.
        var held = await store.LockSnapshotLoadAsync(() => logger.SnapshotLoadWaiting(target.Name), cancellationToken).ConfigureAwait(false);
        await using (held.ConfigureAwait(false))
        {
            if (await store.ReadSnapshotMarkerAsync(cancellationToken).ConfigureAwait(false) is { } marker)
            {
                logger.SnapshotLoadInterrupted(target.Name, marker.From, marker.StartedAt, marker.RowsLoaded);
                var origin = coordinator.ResolveInterrupted(target.Name, marker.From);
                await loader.LoadAsync(marker.From, origin, coordinator.Sources(), "the previous load did not finish", cancellationToken).ConfigureAwait(false);
            }
            else if (await IsNewAsync(cancellationToken).ConfigureAwait(false))
            {
                await loader.LoadAsync(snapshotFrom!, coordinator.Resolve(target.Name, snapshotFrom!), coordinator.Sources(), "a new database", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                logger.SnapshotLoadedElsewhere(target.Name);
            }
        }
    }

    /// <summary>Tells whether the database is to be filled from <c>SnapshotFrom</c>: one is set, and the database was never synchronized.</summary>
    private async Task<bool> IsNewAsync(CancellationToken cancellationToken) =>
        snapshotFrom is not null && !await store.HasCheckpointsAsync(cancellationToken).ConfigureAwait(false);

    private async Task WaitIdleAsync(CancellationToken cancellationToken)
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _idle, idle);
        if (Volatile.Read(ref _active) > 0)
        {
            await idle.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void Exit()
    {
        if (Interlocked.Decrement(ref _active) == 0)
        {
            Volatile.Read(ref _idle)?.TrySetResult();
        }
    }

    /// <summary>A pipeline run inside the gate.</summary>
    internal sealed class Lease(SnapshotGate gate, CancellationToken interrupted) : IDisposable
    {
        private int _disposed;

        /// <summary>Gets a token cancelled when an operator reset needs the database: the run should end at once.</summary>
        public CancellationToken Interrupted => interrupted;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                gate.Exit();
            }
        }
    }
}
