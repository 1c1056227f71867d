using Gravity.Sync.Snapshots;
using Gravity.Sync.Targets;

namespace Gravity.Sync.Tests.Snapshots;

/// <summary>The position a snapshot of a database reflects, from its partitions' checkpoints.</summary>
public sealed class SnapshotPositionsTests
{
    [Fact]
    public void A_complete_layout_gives_its_lowest_checkpoint() =>
        Assert.Equal(40, SnapshotPositions.Floor([new(0, 3, 50), new(1, 3, 40), new(2, 3, 70)]));

    [Fact]
    public void A_partition_that_has_not_committed_yet_may_be_at_the_beginning() =>
        Assert.Equal(0, SnapshotPositions.Floor([new(0, 3, 50), new(2, 3, 70)]));

    [Fact]
    public void After_the_partition_count_grew_the_copy_waits_for_the_new_partitions_and_counts_the_old_rows()
    {
        // 2 -> 4: partitions 0 and 1 rewrote their rows, 2 and 3 have not committed: they started from the old floor.
        Assert.Equal(0, SnapshotPositions.Floor([new CheckpointEntry(0, 4, 90), new CheckpointEntry(1, 4, 95)]));

        // 4 -> 2: the stale rows of partitions 2 and 3 only lower the answer, which stays safe.
        Assert.Equal(30, SnapshotPositions.Floor([new(0, 2, 90), new(1, 2, 95), new(2, 4, 30), new(3, 4, 35)]));
    }

    [Fact]
    public void No_checkpoint_means_the_beginning() => Assert.Equal(0, SnapshotPositions.Floor([]));
}
