using Gravity.Sync.Messaging.Tests.Infrastructure;
using Gravity.Sync.Tests.Infrastructure;

namespace Gravity.Sync.Messaging.Tests.ScaleOut;

/// <summary>What every scale-out scenario must end with, whatever joined, left or died on the way.</summary>
public static class ScaleOutAssertions
{
    /// <summary>Waits until a newly started instance reads at least one partition (it joined and got its share).</summary>
    public static async Task<SyncHarness> WithPartitionsAsync(SyncHarness instance)
    {
        var assigned = await Eventually.TrueAsync(async () => (await instance.Operator.GetStatusAsync()).Count > 0, TimeSpan.FromSeconds(15));
        Assert.True(assigned, "the instance got no partition to read within 15 s");
        return instance;
    }

    /// <summary>
    /// The view equals the fold (each key at its last version), the audit shows each key's versions applied exactly
    /// once and in order (nothing lost, repeated or reordered across hand-overs), and no partition ever had two
    /// writers at once (no checkpoint proposal below an earlier one).
    /// </summary>
    public static async Task ViewIsTheFoldWithOneWriterPerPartitionAsync(ScaleOutDatabase database, int keys, int versions, TimeSpan within)
    {
        var reached = await Eventually.TrueAsync(async () => await database.KeysAtAsync(versions) == keys, within);
        Assert.True(reached, $"the instances did not bring every key to version {versions} within {within}: {await database.KeysAtAsync(versions)} of {keys} keys");
        Assert.Equal(KeyedVersions.Final(keys, versions), await database.UsersAsync());
        Assert.Equal(KeyedVersions.EveryVersionOnceInOrder(keys, versions), await database.AppliedVersionsAsync());
        var overlaps = await database.OverlappingWritersAsync();
        Assert.True(overlaps.Count == 0, "two instances wrote a partition at the same time: " + string.Join("; ", overlaps));
    }
}
