using Gravity.Sync.Targets;

namespace Gravity.Sync.Snapshots;

/// <summary>Where a snapshot of a database stands in one source, from the checkpoints of its partitions.</summary>
internal static class SnapshotPositions
{
    /// <summary>
    /// Gets the position every row of the database reflects: the lowest partition checkpoint. Rows of partitions that
    /// were further ahead carry their own positions, so the events between are applied again harmlessly. When no
    /// partition layout is complete (a partition that has not committed yet, or a partition count that changed and
    /// has not settled), a missing partition may be anywhere from the beginning, so the answer is 0: the copy is then
    /// still right, only its hand-over replays the source from the start.
    /// </summary>
    public static long Floor(IReadOnlyCollection<CheckpointEntry> checkpoints)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        var complete = checkpoints
            .GroupBy(c => c.Partitions)
            .Any(layout => Enumerable.Range(0, layout.Key).All(p => layout.Any(c => c.Partition == p)));
        return complete ? checkpoints.Min(c => c.Position) : 0;
    }
}
