namespace Gravity.Sync.Targets;

/// <summary>One database transaction of a target: rows, parked events and the checkpoint commit or roll back together.</summary>
public interface ITargetTransaction : IAsyncDisposable
{
    /// <summary>Writes row changes with multi-row statements. The caller passes at most one change per row key.</summary>
    /// <param name="changes">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the statements ran.</returns>
    Task ApplyAsync(IReadOnlyList<RowChange> changes, CancellationToken cancellationToken);

    /// <summary>Deletes the rows written by events older than a position (an explicit truncate that replays cannot repeat wrongly).</summary>
    /// <param name="table">The table.</param>
    /// <param name="position">The position of the truncating event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the rows are deleted.</returns>
    Task TruncateAsync(TableSchema table, long position, CancellationToken cancellationToken);

    /// <summary>Sets a savepoint, so one failing row can be undone without losing the rest of the batch.</summary>
    /// <param name="name">The savepoint name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the savepoint is set.</returns>
    Task SaveAsync(string name, CancellationToken cancellationToken);

    /// <summary>Rolls back to a savepoint.</summary>
    /// <param name="name">The savepoint name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the work since the savepoint is undone.</returns>
    Task RollbackToAsync(string name, CancellationToken cancellationToken);

    /// <summary>Releases a savepoint.</summary>
    /// <param name="name">The savepoint name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the savepoint is released.</returns>
    Task ReleaseAsync(string name, CancellationToken cancellationToken);

    /// <summary>Records parked entries; an entry already recorded (same source, position and index) is left as it is.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the entries are written.</returns>
    Task ParkAsync(IReadOnlyList<ParkedEntry> entries, CancellationToken cancellationToken);

    /// <summary>Removes parked entries (after a successful replay, or when an operator discards them).</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the entries are removed.</returns>
    Task RemoveParkedAsync(IReadOnlyList<ParkedEntry> entries, CancellationToken cancellationToken);

    /// <summary>Records a new failure of a parked entry.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="reason">Why it failed this time.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the entry is updated.</returns>
    Task UpdateParkedAsync(ParkedEntry entry, string reason, CancellationToken cancellationToken);

    /// <summary>Queues synced events for their exporters, committed or rolled back with the rows they announce; an entry already queued (same exporter, source, position and index) is left as it is.</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the entries are written.</returns>
    Task QueueExportsAsync(IReadOnlyList<ExportEntry> entries, CancellationToken cancellationToken);

    /// <summary>Moves a partition's checkpoint forward (never back).</summary>
    /// <param name="source">The source name.</param>
    /// <param name="checkpoint">The checkpoint.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the checkpoint is written.</returns>
    Task SetCheckpointAsync(string source, CheckpointEntry checkpoint, CancellationToken cancellationToken);

    /// <summary>Commits.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the transaction is durable.</returns>
    Task CommitAsync(CancellationToken cancellationToken);
}
