using Gravity.Sync.Engine;

namespace Gravity.Sync.Tests.Engine;

public sealed class PartitionHashTests
{
    [Fact]
    public void The_same_key_always_lands_in_the_same_partition()
    {
        Assert.Equal(PartitionHash.Of("users", "[42]", 8), PartitionHash.Of("users", "[42]", 8));
        Assert.Equal(0, PartitionHash.Of("users", "[42]", 1));
    }

    [Fact]
    public void Keys_spread_over_all_partitions()
    {
        var counts = new int[8];
        for (var i = 0; i < 8000; i++)
        {
            counts[PartitionHash.Of("users", $"[{i}]", 8)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 800, 1200));
    }

    [Fact]
    public void Growing_the_partition_count_moves_few_keys()
    {
        var moved = Enumerable.Range(0, 10_000).Count(i => PartitionHash.Of("t", $"[{i}]", 4) != PartitionHash.Of("t", $"[{i}]", 5));

        Assert.InRange(moved, 1500, 2500); // about 1/5 for a consistent hash, against 4/5 for modulo
    }
}
