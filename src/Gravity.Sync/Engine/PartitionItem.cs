namespace Gravity.Sync.Engine;

/// <summary>What the reader (or an operator) queues for a partition worker, processed strictly in queue order.</summary>
internal abstract class PartitionItem;

/// <summary>
/// The ops that fall into the partition from one read of the source, in source order, and the position every event of
/// that read is queued up to. One item per read rather than per event keeps the hand-off off the per-event path; the
/// worker still never splits an event's ops across commits, so a checkpoint at a commit's position is exact.
/// </summary>
internal sealed class EventBatch(List<MappedOp> ops, long watermark) : PartitionItem
{
    public List<MappedOp> Ops { get; } = ops;

    /// <summary>Gets the position the read reached: the partition's checkpoint may move there once the ops are applied.</summary>
    public long Watermark { get; } = watermark;
}

/// <summary>Every event up to <see cref="Position"/> has been queued, so the partition's checkpoint may move there even without ops of its own.</summary>
internal sealed class Watermark(long position) : PartitionItem
{
    public long Position { get; } = position;
}

/// <summary>Work that must run in the partition's order: operator replay/discard, or a flush before a truncate.</summary>
internal sealed class PartitionCommand(Func<PartitionWorker, CancellationToken, Task<object?>> action) : PartitionItem
{
    private readonly TaskCompletionSource<object?> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<object?> Completion => _done.Task;

    public async Task RunAsync(PartitionWorker worker, CancellationToken cancellationToken)
    {
        try
        {
            _done.TrySetResult(await action(worker, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            _done.TrySetException(ex);
            if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
            {
                throw;
            }
        }
    }

    public void Abandon() => _done.TrySetException(new InvalidOperationException("The partition stopped before it ran the command; try again once the synchronizer runs."));
}
