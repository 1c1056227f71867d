using System.Diagnostics;
using Gravity.Sync.Events;
using Gravity.Sync.EventLog;
using Gravity.Sync.Rules;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Tests.Sync;

/// <summary>The synchronizer end to end on the embedded defaults: SQLite log, SQLite views.</summary>
public sealed class SqliteSyncTests
{
    [Fact]
    public async Task Events_become_rows_that_equal_the_fold_of_the_events()
    {
        await using var sync = await SyncHarness.StartAsync(dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir)));
        var history = UserModel.History(keys: 30, events: 600, seed: 1);
        foreach (var (name, json) in history)
        {
            await sync.AppendAsync(name, json, TestContext.Current.CancellationToken);
        }

        await sync.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "views.db"), UserModel.Select));
    }

    [Fact]
    public async Task One_event_fans_out_to_two_databases_with_different_views()
    {
        const string rules = """
            {"rules":[
              {"event":"userCreated","table":"users","method":"update","mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"name","target":"col_name"},{"source":"email","target":"col_email"}]},
              {"event":"userCreated","database":"db1"},
              {"event":"userCreated","database":"db2"},
              {"event":"userCreated","table":"emails","method":"insert","database":"db2","mapping":[{"source":"email","target":"email","primary":true},{"source":"id","target":"user_id","type":"integer"}]}
            ]}
            """;
        await using var sync = await SyncHarness.StartAsync(dir => SyncHarness.Rules(rules, SyncHarness.Sqlite("db1", dir), SyncHarness.Sqlite("db2", dir)));

        await sync.AppendAsync("userCreated", """{"id":1,"name":"Fred Chien","email":"fred@brobridge.com"}""", TestContext.Current.CancellationToken);
        await sync.WaitForCatchUpAsync();

        var expected = new List<string> { "1|Fred Chien|fred@brobridge.com" };
        Assert.Equal(expected, await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "db1.db"), "SELECT id, col_name, col_email FROM users"));
        Assert.Equal(expected, await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "db2.db"), "SELECT id, col_name, col_email FROM users"));
        Assert.Equal(["fred@brobridge.com|1"], await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "db2.db"), "SELECT email, user_id FROM emails"));
    }

    [Fact]
    public async Task Bad_input_is_parked_or_skipped_with_a_reason_and_good_events_still_flow()
    {
        await using var sync = await SyncHarness.StartAsync(dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir)));
        var ct = TestContext.Current.CancellationToken;

        await sync.AppendAsync("userCreated", """{"id":1,"name":"a","version":1}""", ct);
        await sync.AppendAsync("userCreated", """{"id":2,"name":"b","version":1""", ct);            // malformed JSON
        await sync.AppendAsync("userCreated", """[{"id":3}]""", ct);                                // not an object
        await sync.AppendAsync("userCreated", """{"name":"no key","version":1}""", ct);             // missing key
        await sync.AppendAsync("userCreated", """{"id":4,"name":"d","version":"four"}""", ct);      // wrong type: key 4 parked
        await sync.AppendAsync("userRenamed", """{"id":4,"name":"d2","version":2}""", ct);          // waits behind key 4
        await sync.AppendAsync("somethingUnknown", """{"id":5}""", ct);                            // counted, not an error
        await sync.Log.AppendAsync(new GravityEventData { Name = "userCreated", Payload = new byte[] { 0xFF, 0x00, 0xFE } }, ct); // not even UTF-8
        await sync.AppendAsync("userCreated", """{"id":6,"name":"f","version":1}""", ct);
        await sync.WaitForCatchUpAsync();

        Assert.Equal(["1|a|1", "6|f|1"], await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "views.db"), UserModel.Select));
        var parked = await sync.Operator.ListParkedAsync(cancellationToken: ct);
        Assert.Collection(
            parked,
            p => Assert.StartsWith("the payload is not valid JSON", p.Reason, StringComparison.Ordinal),
            p => Assert.Equal("the payload is an array, not a JSON object", p.Reason),
            p => Assert.Equal("key field \"id\" is missing or null", p.Reason),
            p =>
            {
                Assert.Equal(new Gravity.Sync.Operations.ParkedKey("views", "users", "[4]"), p.ParkedKey);
                Assert.Equal("field \"version\" is \"four\", which is not an integer (column \"version\" is INTEGER)", p.Reason);
            },
            p => Assert.Equal("waits behind an earlier parked event of key [4]", p.Reason),
            p => Assert.StartsWith("the payload is not valid JSON", p.Reason, StringComparison.Ordinal));
        Assert.All(parked.Where(p => p.ParkedKey.Key is null), p => Assert.Equal("users", p.ParkedKey.Table));
        Assert.Equal(1, Assert.Single(await sync.Operator.GetStatusAsync(ct)).ParkedKeys);

        // Per rule: what each wrote and held back (the four dead letters and key 4's create; the rename behind it).
        var rules = await sync.Operator.GetRuleStatusAsync(ct);
        Assert.Equal([("userCreated", 2L, 5L), ("userRenamed", 0L, 1L), ("userDeleted", 0L, 0L)], rules.Select(r => (r.Event, r.RowsApplied, r.RowsParked)));
        Assert.Equal((true, false), (rules[0].LastAppliedAt is not null, rules[2].LastAppliedAt is not null));
        Assert.All(rules, r => Assert.Equal(("views", "users"), (r.Database, r.Table)));
    }

    [Fact]
    public async Task A_truncate_empties_the_table_of_earlier_rows_only()
    {
        var users = UserModel.Rules("views");
        var rules = users[..users.LastIndexOf(']')] + """,{"event":"usersCleared","table":"users","method":"truncate","database":"views"}]}""";
        await using var sync = await SyncHarness.StartAsync(dir => SyncHarness.Rules(rules, SyncHarness.Sqlite("views", dir)), o => o.Partitions = 3);
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 20; i++)
        {
            await sync.AppendAsync(UserModel.Created(i, "old").Name, UserModel.Created(i, "old").Json, ct);
        }

        await sync.AppendAsync("usersCleared", "{}", ct);
        await sync.AppendAsync(UserModel.Created(7, "new", 2).Name, UserModel.Created(7, "new", 2).Json, ct);
        await sync.WaitForCatchUpAsync();

        Assert.Equal(["7|new|2"], await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "views.db"), UserModel.Select));

        // Replaying everything (checkpoints lost) repeats the truncate without touching the newer row.
        await sync.StopAsync();
        await ResetCheckpointsAsync(Path.Combine(sync.Directory, "views.db"));
        await sync.RestartAsync();
        await sync.WaitForCatchUpAsync();
        Assert.Equal(["7|new|2"], await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "views.db"), UserModel.Select));
    }

    [Fact]
    public async Task Exporters_announce_applied_events_with_their_trace_context()
    {
        const string rules = """
            {"rules":[
              {"event":"userCreated","table":"users","method":"update","mapping":[{"source":"id","target":"id","primary":true},{"source":"name","target":"col_name"}]},
              {"event":"userCreated","database":"db1","exporter":["synced"]}
            ]}
            """;
        var exporter = new RecordingExporter();
        await using var sync = await SyncHarness.StartAsync(
            dir => new GravityRuleSetBuilder()
                .AddDatabase(SyncHarness.Sqlite("db1", dir))
                .AddExporter(new ExporterDefinition { Name = "synced", Type = "memory" })
                .AddRulesJson("rules.json", System.Text.Encoding.UTF8.GetBytes(rules))
                .Build(),
            build: b => b.AddExporter(exporter));

        using var publish = new Activity("publish").SetIdFormat(ActivityIdFormat.W3C).Start();
        var position = await sync.AppendAsync("userCreated", """{"id":"u1","name":"n"}""", TestContext.Current.CancellationToken);
        publish.Stop();
        await sync.WaitForCatchUpAsync();

        // Synced events are published from the database's export queue once their rows committed, a moment after.
        for (var i = 0; i < 500 && exporter.Published.IsEmpty; i++)
        {
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        var (name, synced) = Assert.Single(exporter.Published);
        Assert.Equal("synced", name);
        Assert.Equal(("userCreated", "db1", "users", "[\"u1\"]", position), (synced.EventName, synced.Database, synced.Table, synced.Key, synced.Position));
        Assert.Equal(publish.Id, synced.TraceParent);
    }

    [Fact]
    public async Task The_outbox_relay_feeds_the_views_from_the_application_database()
    {
        var directory = TempDirectory.Create();
        var app = $"Data Source={Path.Combine(directory, "app.db")}";
        await using var sync = await SyncHarness.StartAsync(
            dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir)),
            build: b => b.AddSqliteOutboxRelay(app),
            configure: o => o.OutboxPollInterval = TimeSpan.FromMilliseconds(20),
            directory: directory);
        var ct = TestContext.Current.CancellationToken;

        await using (var connection = new SqliteConnection(app))
        {
            await connection.OpenAsync(ct);
            await Gravity.Sync.Outbox.GravityOutbox.EnsureTableAsync(connection, ct);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct);
            await Gravity.Sync.Outbox.GravityOutbox.AppendAsync(transaction, GravityEventData.FromJson("userCreated", """{"id":1,"name":"from outbox","version":1}"""), ct);
            await transaction.CommitAsync(ct);
        }

        for (var i = 0; i < 200 && await sync.Log.GetHeadPositionAsync(ct) == 0; i++)
        {
            await Task.Delay(20, ct);
        }

        await sync.WaitForCatchUpAsync();
        Assert.Equal(["1|from outbox|1"], await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "views.db"), UserModel.Select));
    }

    internal static async Task ResetCheckpointsAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM gravity_checkpoints";
        await command.ExecuteNonQueryAsync();
    }
}
