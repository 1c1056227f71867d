using System.Collections.Concurrent;
using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Tests.Sync;

/// <summary>
/// The source model broker packages plug into, proven without a broker: a partitioned source (two embedded logs as
/// partitions, like Kafka partitions) and acknowledgements that follow what every database committed.
/// </summary>
public sealed class PartitionedSourceTests
{
    [Fact]
    public async Task Each_partition_of_a_partitioned_source_is_checkpointed_per_database_and_acknowledged_forward_to_its_end()
    {
        var cancel = TestContext.Current.CancellationToken;
        var directory = TempDirectory.Create();
        using var left = new SqliteEventLog(Path.Combine(directory, "p0.db"), name: "topic/0");
        using var right = new SqliteEventLog(Path.Combine(directory, "p1.db"), name: "topic/1");
        var partitions = new[] { new AcknowledgedLog(left), new AcknowledgedLog(right) };
        await using var sync = await SyncHarness.StartAsync(
            dir => SyncHarness.Rules(
                UserModel.Rules("a").TrimEnd()[..^2] + "," + UserModel.Rules("b").Trim()["{\"rules\":[".Length..],
                SyncHarness.Sqlite("a", dir),
                SyncHarness.Sqlite("b", dir)),
            build: b => b.UsePartitionedEventSource(_ => new TwoPartitions(partitions)),
            directory: directory);

        // Keys 0-9 live in partition 0 and keys 10-19 in partition 1, as a keyed producer would place them.
        var history = UserModel.History(keys: 20, events: 300, seed: 5);
        foreach (var (name, json) in history)
        {
            var id = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("id").GetInt32();
            await (id < 10 ? left : right).AppendAsync(GravityEventData.FromJson(name, json), cancel);
        }

        await sync.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await Views.ReadSqliteAsync(Path.Combine(directory, "a.db"), UserModel.Select));
        Assert.Equal(UserModel.Fold(history), await Views.ReadSqliteAsync(Path.Combine(directory, "b.db"), UserModel.Select));
        var status = await sync.Operator.GetStatusAsync(cancel);
        Assert.Equal(["a topic/0", "a topic/1", "b topic/0", "b topic/1"], status.Select(s => $"{s.Database} {s.Source}").Order(StringComparer.Ordinal).ToList());

        var heads = new[] { await left.GetHeadPositionAsync(cancel), await right.GetHeadPositionAsync(cancel) };
        await sync.StopAsync();
        for (var p = 0; p < 2; p++)
        {
            Assert.Equal(heads[p], partitions[p].Acknowledged.Max());
            Assert.Equal(partitions[p].Acknowledged.Order(), partitions[p].Acknowledged); // only ever forward
        }
    }

    /// <summary>An embedded log that records acknowledgements, as a broker would record them.</summary>
    private sealed class AcknowledgedLog(IEventSource inner) : IAcknowledgedEventSource
    {
        public ConcurrentQueue<long> Acknowledged { get; } = new();

        public string Name => inner.Name;

        public ValueTask<IReadOnlyList<GravityEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default) => inner.ReadAsync(afterPosition, maxCount, cancellationToken);

        public ValueTask WaitAsync(long afterPosition, TimeSpan timeout, CancellationToken cancellationToken = default) => inner.WaitAsync(afterPosition, timeout, cancellationToken);

        public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);

        public ValueTask AcknowledgeAsync(long position, CancellationToken cancellationToken = default)
        {
            Acknowledged.Enqueue(position);
            return ValueTask.CompletedTask;
        }
    }

    private sealed class TwoPartitions(IEventSource[] partitions) : IPartitionedEventSource
    {
        public string Name => "topic";

        public ValueTask<IReadOnlyList<IEventSource>> GetPartitionsAsync(CancellationToken cancellationToken = default) => new(partitions);
    }
}
