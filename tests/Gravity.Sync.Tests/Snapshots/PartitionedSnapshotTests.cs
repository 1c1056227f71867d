using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Tests.Snapshots;

/// <summary>A snapshot of a database fed by a partitioned source carries one position per partition.</summary>
public sealed class PartitionedSnapshotTests
{
    [Fact]
    public async Task A_reset_copies_each_partitions_position_and_both_partitions_hand_over_without_loss()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = TempDirectory.Create();
        using var left = new SqliteEventLog(Path.Combine(directory, "p0.db"), name: "topic/0");
        using var right = new SqliteEventLog(Path.Combine(directory, "p1.db"), name: "topic/1");
        await using var sync = await SyncHarness.StartAsync(
            d => SyncHarness.Rules(SnapshotScenario.TwoDatabases("db1", "db2"), SyncHarness.Sqlite("db1", d), SyncHarness.Sqlite("db2", d)),
            o => o.Partitions = 2,
            b => b.UsePartitionedEventSource(_ => new TwoPartitions([left, right])),
            directory);

        // Keys below 100 live in partition 0, the others in partition 1, as a keyed producer would place them.
        var history = UserModel.History(keys: 200, events: 3000, seed: 44);
        async Task AppendAsync(IReadOnlyList<(string Name, string Json)> events, int chunk)
        {
            for (var i = 0; i < events.Count; i += chunk)
            {
                var byPartition = events.Skip(i).Take(chunk).ToLookup(e => System.Text.Json.JsonDocument.Parse(e.Json).RootElement.GetProperty("id").GetInt32() < 100);
                await left.AppendAsync([.. byPartition[true].Select(e => GravityEventData.FromJson(e.Name, e.Json))], ct);
                await right.AppendAsync([.. byPartition[false].Select(e => GravityEventData.FromJson(e.Name, e.Json))], ct);
            }
        }

        await AppendAsync(history[..2000], chunk: 2000);
        await sync.WaitForCatchUpAsync();
        await SnapshotScenario.ExecuteAsync(Path.Combine(directory, "db2.db"), "DELETE FROM users");

        var appending = Task.Run(() => AppendAsync(history[2000..], chunk: 25), ct);
        var result = await sync.Operator.ResetFromSnapshotAsync("db2", "db1", ct);
        await appending;
        await sync.WaitForCatchUpAsync();

        Assert.Equal(["topic/0", "topic/1"], result.Positions.Keys.Order(StringComparer.Ordinal));
        Assert.All(result.Positions.Values, p => Assert.True(p > 0));
        Assert.Equal(UserModel.Fold(history), await SnapshotScenario.ReadUsersAsync(directory, "db2"));
    }

    private sealed class TwoPartitions(IEventSource[] partitions) : IPartitionedEventSource
    {
        public string Name => "topic";

        public ValueTask<IReadOnlyList<IEventSource>> GetPartitionsAsync(CancellationToken cancellationToken = default) => new(partitions);
    }
}
