using Gravity.Sync.Events;
using Gravity.Sync.EventLog;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Tests.Sync;

/// <summary>Per-key order under concurrency, redelivery and replay, and restarts in the middle of a batch.</summary>
public sealed class OrderingAndRestartTests
{
    /// <summary>
    /// A pre-created users table whose trigger records every applied change in order, so the test sees the order in
    /// which Gravity applied each key's events, not just the final state.
    /// </summary>
    internal static async Task CreateAuditedUsersAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, version INTEGER, _gravity_position INTEGER NOT NULL);
            CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER, version INTEGER);
            CREATE TRIGGER users_ins AFTER INSERT ON users BEGIN INSERT INTO audit (id, version) VALUES (NEW.id, NEW.version); END;
            CREATE TRIGGER users_upd AFTER UPDATE ON users BEGIN INSERT INTO audit (id, version) VALUES (NEW.id, NEW.version); END;
            """;
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Each_key_is_applied_in_source_order_while_partitions_and_publishers_run_concurrently()
    {
        const int keys = 40, versions = 30;
        await using var sync = await SyncHarness.StartAsync(
            dir =>
            {
                CreateAuditedUsersAsync(Path.Combine(dir, "views.db")).GetAwaiter().GetResult();
                return SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir));
            },
            o => { o.Partitions = 4; o.MaxBatchRows = 25; });

        // Eight publishers, each owning five keys, append at the same time: the log interleaves them.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(p => Task.Run(async () =>
        {
            for (var v = 1; v <= versions; v++)
            {
                for (var k = p * 5; k < (p + 1) * 5; k++)
                {
                    var (name, json) = v == 1 ? UserModel.Created(k, "n", v) : UserModel.Renamed(k, "n", v);
                    await sync.AppendAsync(name, json, TestContext.Current.CancellationToken);
                }
            }
        })));
        await sync.WaitForCatchUpAsync();

        var audit = await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "views.db"), "SELECT id, group_concat(version, ',') FROM (SELECT id, version FROM audit ORDER BY seq) GROUP BY id");
        var expected = Enumerable.Range(0, keys).Select(k => $"{k}|{string.Join(',', Enumerable.Range(1, versions))}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, audit); // every version once, in order, for every key
    }

    [Fact]
    public async Task Redelivered_events_leave_the_same_read_model()
    {
        var history = UserModel.History(keys: 20, events: 400, seed: 2);
        await using var sync = await SyncHarness.StartAsync(
            dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir)),
            o => { o.ReadBatchSize = 37; o.Partitions = 2; },
            b => b.UseEventSource(sp => new RedeliveringSource(sp.GetRequiredService<IGravityEventLog>())));
        foreach (var (name, json) in history)
        {
            await sync.AppendAsync(name, json, TestContext.Current.CancellationToken);
        }

        await sync.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "views.db"), UserModel.Select));
    }

    [Fact]
    public async Task Replaying_every_event_from_the_start_leaves_the_same_read_model()
    {
        var history = UserModel.History(keys: 25, events: 500, seed: 3);
        await using var sync = await SyncHarness.StartAsync(dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir)));
        foreach (var (name, json) in history)
        {
            await sync.AppendAsync(name, json, TestContext.Current.CancellationToken);
        }

        await sync.WaitForCatchUpAsync();
        var views = Path.Combine(sync.Directory, "views.db");
        var before = await Views.ReadSqliteAsync(views, UserModel.Select);

        await sync.StopAsync();
        await SqliteSyncTests.ResetCheckpointsAsync(views);
        await sync.RestartAsync();
        await sync.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), before);
        Assert.Equal(before, await Views.ReadSqliteAsync(views, UserModel.Select));
    }

    [Fact]
    public async Task A_worker_stopped_mid_batch_and_restarted_ends_with_the_fold_of_all_events_and_no_duplicates()
    {
        var history = UserModel.History(keys: 50, events: 4000, seed: 4);
        await using var sync = await SyncHarness.StartAsync(
            dir =>
            {
                if (!File.Exists(Path.Combine(dir, "views.db")))
                {
                    CreateAuditedUsersAsync(Path.Combine(dir, "views.db")).GetAwaiter().GetResult();
                }

                return SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir));
            },
            o => { o.Partitions = 3; o.MaxBatchRows = 20; o.ReadBatchSize = 100; });
        var log = sync.Log;
        await log.AppendAsync([.. history.Select(h => GravityEventData.FromJson(h.Name, h.Json))], TestContext.Current.CancellationToken);

        var head = await log.GetHeadPositionAsync(TestContext.Current.CancellationToken);
        for (var restart = 0; restart < 4; restart++)
        {
            // Let it get somewhere, then pull the plug: in-flight transactions are abandoned.
            var status = await sync.Operator.GetStatusAsync(TestContext.Current.CancellationToken);
            var target = status[0].Position + 300;
            for (var i = 0; i < 500 && (await sync.Operator.GetStatusAsync(TestContext.Current.CancellationToken))[0].Position < Math.Min(target, head); i++)
            {
                await Task.Delay(2, TestContext.Current.CancellationToken);
            }

            await sync.RestartAsync(abrupt: true);
        }

        await sync.WaitForCatchUpAsync();

        var views = Path.Combine(sync.Directory, "views.db");
        Assert.Equal(UserModel.Fold(history), await Views.ReadSqliteAsync(views, UserModel.Select));

        // No event applied twice: every (key, version) change appears in the audit once. Deletes and re-creates reuse
        // versions only through new events, which have new versions.
        var duplicates = await Views.ReadSqliteAsync(views, "SELECT id, version, count(*) FROM audit GROUP BY id, version HAVING count(*) > 1");
        Assert.Empty(duplicates);
    }

    [Fact]
    public async Task A_backlog_read_in_full_batches_is_committed_to_the_last_event_even_when_it_ends_on_a_full_read()
    {
        // Partitions hold their share of a full read until it fills a batch; 200 events in reads of 50 end on a full
        // read, so the empty read after it must hand over what is held instead of waiting for more events.
        var history = UserModel.History(keys: 60, events: 200, seed: 6);
        await using var sync = await SyncHarness.StartAsync(
            dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir)),
            o => { o.Partitions = 4; o.ReadBatchSize = 50; o.MaxBatchRows = 40; });
        await sync.StopAsync();
        using (var log = new SqliteEventLog(Path.Combine(sync.Directory, "gravity-events.db")))
        {
            await log.AppendAsync([.. history.Select(h => GravityEventData.FromJson(h.Name, h.Json))], TestContext.Current.CancellationToken);
        }

        await sync.RestartAsync();
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(UserModel.Fold(history), await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "views.db"), UserModel.Select));
    }

    [Fact]
    public async Task Changing_the_partition_count_between_runs_keeps_the_read_model_right()
    {
        var history = UserModel.History(keys: 30, events: 600, seed: 5);
        var partitions = 1;
        await using var sync = await SyncHarness.StartAsync(
            dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir)),
            o => o.Partitions = partitions);
        foreach (var (name, json) in history.Take(300))
        {
            await sync.AppendAsync(name, json, TestContext.Current.CancellationToken);
        }

        await sync.WaitForCatchUpAsync();
        await sync.StopAsync();
        partitions = 5;
        await sync.RestartAsync();
        foreach (var (name, json) in history.Skip(300))
        {
            await sync.AppendAsync(name, json, TestContext.Current.CancellationToken);
        }

        await sync.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "views.db"), UserModel.Select));
    }

    /// <summary>Delivers the last few events of the previous batch again with each batch, as an at-least-once broker may.</summary>
    private sealed class RedeliveringSource(IEventSource inner) : IEventSource
    {
        public string Name => inner.Name;

        public async ValueTask<IReadOnlyList<GravityEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
        {
            var events = await inner.ReadAsync(afterPosition, maxCount, cancellationToken);
            if (events.Count == 0 || afterPosition == 0)
            {
                return events;
            }

            var again = await inner.ReadAsync(Math.Max(0, afterPosition - 5), 5, cancellationToken);
            return [.. again, .. events];
        }

        public ValueTask WaitAsync(long afterPosition, TimeSpan timeout, CancellationToken cancellationToken = default) => inner.WaitAsync(afterPosition, timeout, cancellationToken);

        public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) => inner.GetHeadPositionAsync(cancellationToken);
    }
}
