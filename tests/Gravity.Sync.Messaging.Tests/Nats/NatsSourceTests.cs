using System.Text;
using Gravity.Sync.Messaging.Tests.Infrastructure;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Data.Sqlite;
using NATS.Client.Core;

namespace Gravity.Sync.Messaging.Tests.Nats;

/// <summary>The JetStream source against a real nats-server: flow, replay, crash and restart, order, bad input.</summary>
public sealed class NatsSourceTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static Task<SyncHarness> StartAsync(NatsTestServer stream, Action<Gravity.Sync.Hosting.GravitySyncOptions>? configure = null, string? directory = null, Func<string, Gravity.Sync.Rules.GravityRuleSet>? rules = null) =>
        SyncHarness.StartAsync(
            rules ?? (dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir))),
            configure,
            b => b.AddNatsJetStreamSource(stream.Configure),
            directory);

    private static string Views(SyncHarness sync) => Path.Combine(sync.Directory, "views.db");

    [Fact]
    public async Task Events_published_to_JetStream_build_the_view_and_the_durable_consumer_is_acknowledged_to_the_end()
    {
        await using var stream = NatsTestServer.Create();
        var history = UserModel.History(keys: 15, events: 300, seed: 11);
        await using var sync = await StartAsync(stream, o => o.ReadBatchSize = 64);
        await stream.PublishAsync(history, Cancel);

        await sync.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await Gravity.Sync.Tests.Infrastructure.Views.ReadSqliteAsync(Views(sync), UserModel.Select));
        var status = Assert.Single(await sync.Operator.GetStatusAsync(Cancel));
        Assert.Equal((history.Count, $"nats:{stream.StreamName}"), (status.Position, status.Source));
        Assert.True(await Eventually.TrueAsync(async () => await stream.AckFloorAsync() == (ulong)history.Count), $"ack floor is {await stream.AckFloorAsync()}, expected {history.Count}");
    }

    [Fact]
    public async Task Republished_events_and_a_full_replay_from_the_stream_leave_exactly_the_fold()
    {
        await using var stream = NatsTestServer.Create();
        var history = UserModel.History(keys: 10, events: 200, seed: 12);
        var events = history.Select(e => Gravity.Sync.Events.GravityEventData.FromJson(e.Name, e.Json)).ToList();
        await using var sync = await StartAsync(stream, o => o.Partitions = 2);
        await stream.Publisher.PublishAsync(events, Cancel);
        await stream.Publisher.PublishAsync(events.Take(50).ToList(), Cancel); // an outbox relay repeating itself after a crash
        await sync.WaitForCatchUpAsync();
        Assert.Equal(history.Count, (long)(await stream.JetStream.GetStreamAsync(stream.StreamName, cancellationToken: Cancel)).Info.State.Messages);

        // Forget the checkpoints: the whole stream is read and applied again; stored positions make it a no-op.
        await sync.StopAsync();
        await using (var connection = new SqliteConnection($"Data Source={Views(sync)};Pooling=false"))
        {
            await connection.OpenAsync(Cancel);
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM gravity_checkpoints";
            await command.ExecuteNonQueryAsync(Cancel);
        }

        await sync.RestartAsync();
        await sync.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await Gravity.Sync.Tests.Infrastructure.Views.ReadSqliteAsync(Views(sync), UserModel.Select));
    }

    [Fact]
    public async Task A_worker_killed_mid_batch_resumes_without_losing_or_repeating_an_event_and_never_acknowledges_ahead()
    {
        await using var stream = NatsTestServer.Create();
        const int keys = 12, versions = 40;
        var directory = TempDirectory.Create();
        await AuditedUsers.CreateAuditedUsersAsync(Path.Combine(directory, "views.db"));
        var sync = await StartAsync(stream, o => { o.MaxBatchRows = 7; o.ReadBatchSize = 20; }, directory);
        try
        {
            await stream.PublishAsync(AuditedUsers.Versions(keys, 1, versions / 2), Cancel);
            await Eventually.TrueAsync(async () => (await sync.Operator.GetStatusAsync(Cancel))[0].Position > 30);

            await sync.StopAsync(abrupt: true); // in-flight batches roll back, as in a kill
            var committed = await AuditedUsers.MinCheckpointAsync(Path.Combine(directory, "views.db"));
            Assert.True(await stream.AckFloorAsync() <= (ulong)committed, $"ack floor {await stream.AckFloorAsync()} is ahead of the committed position {committed}");

            await stream.PublishAsync(AuditedUsers.Versions(keys, (versions / 2) + 1, versions), Cancel);
            await sync.RestartAsync();
            await sync.WaitForCatchUpAsync();

            Assert.Equal(AuditedUsers.EveryVersionOnceInOrder(keys, versions), await AuditedUsers.AuditAsync(Path.Combine(directory, "views.db")));
            Assert.True(await Eventually.TrueAsync(async () => await stream.AckFloorAsync() == (ulong)(keys * versions)));
        }
        finally
        {
            await sync.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_key_keeps_its_order_while_publishers_and_partitions_run_concurrently()
    {
        await using var stream = NatsTestServer.Create();
        const int keys = 24, versions = 15;
        await using var sync = await SyncHarness.StartAsync(
            dir =>
            {
                AuditedUsers.CreateAuditedUsersAsync(Path.Combine(dir, "views.db")).GetAwaiter().GetResult();
                return SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir));
            },
            o => { o.Partitions = 4; o.MaxBatchRows = 10; },
            b => b.AddNatsJetStreamSource(stream.Configure));

        // Six publishers, each owning four keys, publish at once: the stream interleaves them.
        await Task.WhenAll(Enumerable.Range(0, 6).Select(p => Task.Run(async () =>
        {
            for (var v = 1; v <= versions; v++)
            {
                await stream.PublishAsync(Enumerable.Range(p * 4, 4).Select(k => v == 1 ? UserModel.Created(k, "n", v) : UserModel.Renamed(k, "n", v)), Cancel);
            }
        })));
        await sync.WaitForCatchUpAsync();

        Assert.Equal(AuditedUsers.EveryVersionOnceInOrder(keys, versions), await AuditedUsers.AuditAsync(Path.Combine(sync.Directory, "views.db")));
    }

    [Fact]
    public async Task Malformed_payloads_unknown_events_and_unnamed_messages_are_parked_or_skipped_while_good_events_flow()
    {
        await using var stream = NatsTestServer.Create();
        var foreign = "foreign." + stream.StreamName;
        await stream.JetStream.CreateStreamAsync(new NATS.Client.JetStream.Models.StreamConfig(stream.StreamName, [stream.SubjectPrefix + ".>", foreign]), Cancel); // a stream shared with another subject
        await using var sync = await StartAsync(stream);
        var headers = new NatsHeaders { [Gravity.Sync.Events.GravityMessageHeaders.EventName] = "userCreated" };
        await stream.PublishAsync([UserModel.Created(1, "ann")], Cancel);
        await stream.PublishRawAsync(stream.SubjectPrefix + ".userCreated", Encoding.UTF8.GetBytes("{not json"), headers); // dead letter
        await stream.PublishAsync([("userCreated", """{"id":2,"name":"bob","version":"not a number"}""")], Cancel); // parks key 2
        await stream.PublishAsync([("somethingElseHappened", """{"id":3}""")], Cancel); // unknown: counted, skipped
        await stream.PublishRawAsync(foreign, Encoding.UTF8.GetBytes("{}")); // not under the prefix and no header: names no event
        await stream.PublishAsync([UserModel.Renamed(2, "bobby", 2), UserModel.Created(4, "dan")], Cancel); // 2 waits behind its parked event

        await sync.WaitForCatchUpAsync();

        Assert.Equal(["1|ann|1", "4|dan|1"], await Gravity.Sync.Tests.Infrastructure.Views.ReadSqliteAsync(Views(sync), UserModel.Select));
        var parked = await sync.Operator.ListParkedAsync(cancellationToken: Cancel);
        Assert.Contains(parked, p => p.ParkedKey.Key is null && p.Reason.Contains("not valid JSON", StringComparison.Ordinal));
        Assert.Equal(2, parked.Count(p => p.ParkedKey.Key == "[2]"));
        Assert.True((await sync.Operator.GetStatusAsync(Cancel)).Single().Running);
    }

    [Fact]
    public async Task Views_in_PostgreSQL_and_SQLite_fed_from_one_stream_both_equal_the_fold()
    {
        await using var stream = NatsTestServer.Create();
        await using var postgres = await PostgresTestDatabase.CreateAsync("pg");
        var history = UserModel.History(keys: 10, events: 150, seed: 13);
        await using var sync = await SyncHarness.StartAsync(
            dir => SyncHarness.Rules(AuditedUsers.RulesFor("views", "pg"), SyncHarness.Sqlite("views", dir), postgres.Definition),
            build: b => b.AddNatsJetStreamSource(stream.Configure).AddPostgreSql());
        await stream.PublishAsync(history, Cancel);
        await sync.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await Gravity.Sync.Tests.Infrastructure.Views.ReadSqliteAsync(Views(sync), UserModel.Select));
        Assert.Equal(UserModel.Fold(history), await postgres.ReadAsync(UserModel.Select));
        Assert.Equal(2, (await sync.Operator.GetStatusAsync(Cancel)).Count);
    }
}
