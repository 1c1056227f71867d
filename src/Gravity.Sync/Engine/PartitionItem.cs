namespace Gravity.Sync.Engine;

/// <summary>What the reader (or an operator) queues for a partition worker, processed strictly in queue order.</summary>
internal abstract class PartitionItem;

/// <summary>The ops of one event that fall into the partition. An event is never split across batches, so a checkpoint at its position is exact.</summary>
internal sealed class EventOps(long position, IReadOnlyList<MappedOp> ops) : PartitionItem
{
    public long Position { get; } = position;

    public IReadOnlyList<MappedOp> Ops { get; } = ops;
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
