namespace Gravity.Sync.Events;

/// <summary>
/// What an <see cref="IDynamicPartitionSource"/> calls when this instance's partitions change. The synchronizer
/// implements it: assigned partitions start from the databases' checkpoints; revoked ones stop reading, commit what
/// they hold within <see cref="Hosting.GravitySyncOptions.HandOverTimeout"/>, are acknowledged, and only then does
/// the call return, so the source lets the next owner start only after this one is done.
/// </summary>
public interface IPartitionAssignmentHandler
{
    /// <summary>Starts reading partitions now assigned to this instance.</summary>
    /// <param name="partitions">The partitions; names are stable across instances and restarts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when their pipelines are started (they resume in the background).</returns>
    Task AssignAsync(IReadOnlyList<IEventSource> partitions, CancellationToken cancellationToken);

    /// <summary>Stops reading partitions taken from this instance.</summary>
    /// <param name="partitions">The names of the partitions, as <see cref="IEventSource.Name"/> gave them.</param>
    /// <param name="lost">
    /// <see langword="true"/> when another instance may already read them (the lease or group session expired): their
    /// in-flight batches are dropped at once and nothing is acknowledged. <see langword="false"/> for an orderly hand-over.
    /// </param>
    /// <param name="cancellationToken">Cancels the wait: in-flight batches are then dropped.</param>
    /// <returns>A task that completes when the partitions' pipelines have stopped.</returns>
    Task RevokeAsync(IReadOnlyList<string> partitions, bool lost, CancellationToken cancellationToken);
}
