using System.Text;
using Gravity.Sync.Events;
using Gravity.Sync.Messaging.Tests.Infrastructure;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Messaging.Tests.Kafka;

/// <summary>The Kafka source against librdkafka's mock cluster: flow, offsets, crash and restart, order, bad input.</summary>
public sealed class KafkaSourceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Task<SyncHarness> StartAsync(KafkaTestTopic topic, Action<Gravity.Sync.Hosting.GravitySyncOptions>? configure = null, string? directory = null) =>
        SyncHarness.StartAsync(
            dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir)),
            configure,
            b => b.AddKafkaSource(topic.Configure),
            directory);

    private static string Views(SyncHarness sync) => Path.Combine(sync.Directory, "views.db");

    [Fact]
    public async Task Events_from_every_partition_build_the_view_and_offsets_are_committed_to_the_end()
    {
        await using var topic = new KafkaTestTopic(partitions: 4);
        var history = UserModel.History(keys: 16, events: 240, seed: 21);
        await using var sync = await StartAsync(topic, o => o.ReadBatchSize = 50);
        await topic.PublishAsync(history, Cancel);

        await sync.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await Gravity.Sync.Tests.Infrastructure.Views.ReadSqliteAsync(Views(sync), UserModel.Select));
        var status = await sync.Operator.GetStatusAsync(Cancel);
        Assert.Equal([.. Enumerable.Range(0, 4).Select(p => $"kafka:{topic.Topic}/{p}")], status.Select(s => s.Source).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(history.Count, status.Sum(s => s.Position)); // position = offset + 1: every message of every partition
        var ends = status.OrderBy(s => s.Source, StringComparer.Ordinal).Select(s => s.HeadPosition).ToArray();
        Assert.True(await Eventually.TrueAsync(() => topic.CommittedOffsets().SequenceEqual(ends)), $"committed {string.Join(",", topic.CommittedOffsets())}, ends {string.Join(",", ends)}");
    }

    [Fact]
    public async Task A_worker_killed_mid_batch_resumes_without_losing_or_repeating_an_event_and_never_commits_ahead()
    {
        await using var topic = new KafkaTestTopic(partitions: 3);
        const int keys = 12, versions = 30;
        var directory = TempDirectory.Create();
        await AuditedUsers.CreateAuditedUsersAsync(Path.Combine(directory, "views.db"));
        var sync = await StartAsync(topic, o => { o.MaxBatchRows = 5; o.ReadBatchSize = 10; }, directory);
        try
        {
            await topic.PublishAsync(AuditedUsers.Versions(keys, 1, versions / 2), Cancel);
            await Eventually.TrueAsync(async () => (await sync.Operator.GetStatusAsync(Cancel)).Sum(s => s.Position) > 40);

            await sync.StopAsync(abrupt: true); // in-flight batches roll back, as in a kill
            var checkpoints = await CheckpointsAsync(Path.Combine(directory, "views.db"), topic);
            var committed = topic.CommittedOffsets();
            for (var p = 0; p < topic.Partitions; p++)
            {
                Assert.True(committed[p] <= checkpoints[p], $"partition {p}: committed offset {committed[p]} is ahead of the views' checkpoint {checkpoints[p]}");
            }

            await topic.PublishAsync(AuditedUsers.Versions(keys, (versions / 2) + 1, versions), Cancel);
            await sync.RestartAsync();
            await sync.WaitForCatchUpAsync();

            Assert.Equal(AuditedUsers.EveryVersionOnceInOrder(keys, versions), await AuditedUsers.AuditAsync(Path.Combine(directory, "views.db")));
        }
        finally
        {
            await sync.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_key_keeps_its_order_across_partitions_while_publishers_and_writers_run_concurrently()
    {
        await using var topic = new KafkaTestTopic(partitions: 4);
        const int keys = 24, versions = 12;
        await using var sync = await SyncHarness.StartAsync(
            dir =>
            {
                AuditedUsers.CreateAuditedUsersAsync(Path.Combine(dir, "views.db")).GetAwaiter().GetResult();
                return SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir));
            },
            o => { o.Partitions = 4; o.MaxBatchRows = 10; },
            b => b.AddKafkaSource(topic.Configure));

        // Six publishers, each owning four keys; the publisher keys each message by its "id", so a key stays in one partition.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(p => Task.Run(async () =>
        {
            for (var v = 1; v <= versions; v++)
            {
                await topic.PublishAsync(Enumerable.Range(p * 4, 4).Select(k => v == 1 ? UserModel.Created(k, "n", v) : UserModel.Renamed(k, "n", v)), Cancel);
            }
        })));
        await sync.WaitForCatchUpAsync();

        Assert.Equal(AuditedUsers.EveryVersionOnceInOrder(keys, versions), await AuditedUsers.AuditAsync(Path.Combine(sync.Directory, "views.db")));
        Assert.True((await sync.Operator.GetStatusAsync(Cancel)).Count(s => s.Position > 0) > 1, "the keys should spread over several partitions");
    }

    [Fact]
    public async Task Malformed_payloads_unknown_events_and_unnamed_messages_are_parked_or_skipped_while_good_events_flow()
    {
        await using var topic = new KafkaTestTopic(partitions: 1);
        await using var sync = await StartAsync(topic);
        await topic.PublishAsync([UserModel.Created(1, "ann")], Cancel);
        await topic.ProduceRawAsync("2", "{not json", (GravityMessageHeaders.EventName, "userCreated")); // dead letter
        await topic.PublishAsync([("userCreated", """{"id":2,"name":"bob","version":"not a number"}""")], Cancel); // parks key 2
        await topic.PublishAsync([("somethingElseHappened", """{"id":3}""")], Cancel); // unknown: counted, skipped
        await topic.ProduceRawAsync("3", "{}"); // no Gravity-Event header: names no event
        await topic.PublishAsync([UserModel.Renamed(2, "bobby", 2), UserModel.Created(4, "dan")], Cancel);

        await sync.WaitForCatchUpAsync();

        Assert.Equal(["1|ann|1", "4|dan|1"], await Gravity.Sync.Tests.Infrastructure.Views.ReadSqliteAsync(Views(sync), UserModel.Select));
        var parked = await sync.Operator.ListParkedAsync(cancellationToken: Cancel);
        Assert.Contains(parked, p => p.ParkedKey.Key is null && p.Reason.Contains("not valid JSON", StringComparison.Ordinal));
        Assert.Equal(2, parked.Count(p => p.ParkedKey.Key == "[2]"));

        // The operator fixes nothing but discards key 2: its waiting rename is dropped too, and the worker keeps going.
        Assert.Equal(2, await sync.Operator.DiscardAsync(new Gravity.Sync.Operations.ParkedKey("views", "users", "[2]"), Cancel));
        await topic.PublishAsync([UserModel.Created(2, "bob", 3)], Cancel);
        await sync.WaitForCatchUpAsync();
        Assert.Equal(["1|ann|1", "2|bob|3", "4|dan|1"], await Gravity.Sync.Tests.Infrastructure.Views.ReadSqliteAsync(Views(sync), UserModel.Select));
    }

    private static async Task<long[]> CheckpointsAsync(string path, KafkaTestTopic topic)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        var result = new long[topic.Partitions];
        for (var p = 0; p < topic.Partitions; p++)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT coalesce(min(position), 0) FROM gravity_checkpoints WHERE source = @source";
            command.Parameters.AddWithValue("@source", $"kafka:{topic.Topic}/{p}");
            result[p] = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return result;
    }
}
