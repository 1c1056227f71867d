namespace Gravity.Sync.Events;

/// <summary>
/// A partitioned source that several synchronizer instances share, such as a Kafka consumer group or partitions
/// claimed through leases. The source decides which partitions this instance reads and tells the synchronizer as that
/// changes; each assigned partition is read as its own <see cref="IEventSource"/>, exactly as with
/// <see cref="IPartitionedEventSource"/>, so checkpoints and parked entries stay under the partition's name whichever
/// instance reads it.
/// </summary>
/// <remarks>
/// Per-key order across instances holds because a partition has one reader at a time: a revoked partition's pipelines
/// commit what they hold (or drop it) before <see cref="IPartitionAssignmentHandler.RevokeAsync"/> returns, and the
/// next owner resumes from the databases' checkpoints, which are written in the same transactions as the rows.
/// </remarks>
public interface IDynamicPartitionSource
{
    /// <summary>Gets the source name, for logs.</summary>
    string Name { get; }

    /// <summary>
    /// Starts taking part in the assignment. From then until <see cref="StopAsync"/> returns, the source calls
    /// <paramref name="handler"/> whenever this instance gains or loses partitions, one call at a time.
    /// </summary>
    /// <param name="handler">Starts and stops the partitions' pipelines.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>A task that completes once the source is taking part (partitions may be assigned later).</returns>
    Task StartAsync(IPartitionAssignmentHandler handler, CancellationToken cancellationToken);

    /// <summary>Leaves: revokes every partition this instance holds (letting their pipelines commit), then stops taking part.</summary>
    /// <param name="cancellationToken">Cancels the wait; the partitions are then dropped rather than handed over.</param>
    /// <returns>A task that completes when the instance holds no partition.</returns>
    Task StopAsync(CancellationToken cancellationToken);
}
