using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.IntegrationTests.Infrastructure;
using Gravity.Sync.Operations;
using Gravity.Sync.Rules;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.IntegrationTests;

/// <summary>
/// What every server database must do, run against PostgreSQL and MariaDB by the subclasses: the fold, types, order
/// under concurrency, replay, restarts mid-batch, park and replay, bad input and schema checks.
/// </summary>
public abstract class ServerTargetTests<TDatabase>(TDatabase server) : IClassFixture<TDatabase>
    where TDatabase : ServerDatabase
{
    protected TDatabase Server { get; } = server;

    /// <summary>A users table with an audit trigger that records each applied change in order.</summary>
    protected abstract string AuditedUsersSql { get; }

    /// <summary>A users table whose e-mail must be unique, plus a short code column.</summary>
    protected abstract string ConstrainedUsersSql { get; }

    protected abstract string AuditSequenceSql { get; }

    private Task<SyncHarness> StartAsync(DatabaseDefinition database, string rules, Action<Hosting.GravitySyncOptions>? configure = null) =>
        SyncHarness.StartAsync(
            _ => SyncHarness.Rules(rules, database),
            configure,
            b => b.AddPostgreSql().AddMySql());

    private async Task<List<string>> ReadAsync(DatabaseDefinition database, string sql)
    {
        await using var connection = Server.Connect(database);
        return await Views.ReadAsync(connection, sql);
    }

    [Fact]
    public async Task Synchronizers_starting_together_on_a_new_database_all_create_its_tables_and_start()
    {
        // PostgreSQL does not serialize CREATE TABLE IF NOT EXISTS: instances racing to create the same tables failed
        // on the catalogue's unique index (a CI run saw it). Several rounds of six instances make the race likely.
        for (var round = 0; round < 3; round++)
        {
            var database = await Server.CreateDatabaseAsync("together");
            var starting = Enumerable.Range(0, 6).Select(_ => StartAsync(database, UserModel.Rules("together"))).ToArray();
            var started = await Task.WhenAll(starting);
            foreach (var sync in started)
            {
                await sync.DisposeAsync();
            }

            Assert.Equal(["0"], await ReadAsync(database, "SELECT COUNT(*) FROM users"));
        }
    }

    [Fact]
    public async Task Events_become_rows_that_equal_the_fold_of_the_events()
    {
        var database = await Server.CreateDatabaseAsync("views");
        await using var sync = await StartAsync(database, UserModel.Rules("views"), o => o.Partitions = 4);
        var history = UserModel.History(keys: 40, events: 2000, seed: 11);
        await sync.Log.AppendAsync([.. history.Select(h => GravityEventData.FromJson(h.Name, h.Json))], TestContext.Current.CancellationToken);

        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(UserModel.Fold(history), await ReadAsync(database, UserModel.Select));
    }

    [Fact]
    public async Task Every_column_type_round_trips_and_tables_are_created_from_the_rules()
    {
        var database = await Server.CreateDatabaseAsync("views");
        const string rules = """
            {"rules":[{"event":"measured","table":"measurements","database":"views","mapping":[
              {"source":"site","target":"site","primary":true},{"source":"seq","target":"seq","primary":true,"type":"integer"},
              {"source":"label","target":"label"},{"source":"count","target":"count","type":"integer"},{"source":"ratio","target":"ratio","type":"number"},
              {"source":"amount","target":"amount","type":"decimal"},{"source":"ok","target":"ok","type":"boolean"},
              {"source":"at","target":"at","type":"timestamp"},{"source":"doc","target":"doc","type":"json"}]}]}
            """;
        await using var sync = await StartAsync(database, rules);

        await sync.AppendAsync("measured", """{"site":"eu-1","seq":1,"label":"Fred Chien 陳","count":9007199254740993,"ratio":0.25,"amount":"12345.6789","ok":true,"at":"2024-05-01T08:00:00+08:00","doc":{"a":[1,2]}}""", TestContext.Current.CancellationToken);
        await sync.AppendAsync("measured", """{"site":"eu-1","seq":"2","label":null,"count":"-3","ratio":"1e3","amount":0.5,"ok":"false","at":"2024-01-02T03:04:05Z","doc":[]}""", TestContext.Current.CancellationToken);
        await sync.WaitForCatchUpAsync();

        var rows = await ReadAsync(database, "SELECT site, seq, label, count, ratio, amount, ok, at FROM measurements");
        Assert.Equal(
            ["eu-1|1|Fred Chien 陳|9007199254740993|0.25|12345.6789|1|2024-05-01T00:00:00Z", "eu-1|2|null|-3|1000|0.5|0|2024-01-02T03:04:05Z"],
            rows);
        Assert.Empty(await sync.Operator.ListParkedAsync(cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Each_key_is_applied_in_source_order_while_partitions_and_publishers_run_concurrently()
    {
        const int keys = 24, versions = 25;
        var database = await Server.CreateDatabaseAsync("views");
        await Server.ExecuteAsync(database, AuditedUsersSql);
        await using var sync = await StartAsync(database, UserModel.Rules("views"), o => { o.Partitions = 4; o.MaxBatchRows = 20; });

        await Task.WhenAll(Enumerable.Range(0, 6).Select(p => Task.Run(async () =>
        {
            for (var v = 1; v <= versions; v++)
            {
                for (var k = p * 4; k < (p + 1) * 4; k++)
                {
                    var (name, json) = v == 1 ? UserModel.Created(k, "n", v) : UserModel.Renamed(k, "n", v);
                    await sync.AppendAsync(name, json);
                }
            }
        })));
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));

        var audit = await ReadAsync(database, AuditSequenceSql);
        var expected = Enumerable.Range(0, keys).Select(k => $"{k}|{string.Join(',', Enumerable.Range(1, versions))}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, audit);
    }

    [Fact]
    public async Task Replaying_every_event_and_restarting_mid_batch_leave_the_fold_without_duplicates()
    {
        var database = await Server.CreateDatabaseAsync("views");
        await Server.ExecuteAsync(database, AuditedUsersSql);
        var history = UserModel.History(keys: 30, events: 3000, seed: 12);
        await using var sync = await StartAsync(database, UserModel.Rules("views"), o => { o.Partitions = 3; o.MaxBatchRows = 25; o.ReadBatchSize = 100; });
        await sync.Log.AppendAsync([.. history.Select(h => GravityEventData.FromJson(h.Name, h.Json))], TestContext.Current.CancellationToken);

        for (var restart = 0; restart < 3; restart++)
        {
            var start = (await sync.Operator.GetStatusAsync(TestContext.Current.CancellationToken))[0].Position;
            for (var i = 0; i < 1000 && (await sync.Operator.GetStatusAsync(TestContext.Current.CancellationToken))[0].Position < Math.Min(start + 400, history.Count); i++)
            {
                await Task.Delay(2, TestContext.Current.CancellationToken);
            }

            await sync.RestartAsync(abrupt: true);
        }

        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(UserModel.Fold(history), await ReadAsync(database, UserModel.Select));
        Assert.Empty(await ReadAsync(database, "SELECT id, version FROM audit GROUP BY id, version HAVING count(*) > 1"));

        // Lose the checkpoints: everything is read again and the guards keep the rows as they are.
        await sync.StopAsync();
        await Server.ExecuteAsync(database, "DELETE FROM gravity_checkpoints");
        await sync.RestartAsync();
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(UserModel.Fold(history), await ReadAsync(database, UserModel.Select));
    }

    [Fact]
    public async Task A_key_rejected_by_the_database_is_parked_while_other_keys_continue_and_replays_once_fixed()
    {
        var database = await Server.CreateDatabaseAsync("views");
        await Server.ExecuteAsync(database, ConstrainedUsersSql);
        const string rules = """
            {"rules":[{"event":"userSaved","table":"users","database":"views","mapping":[
              {"source":"id","target":"id","primary":true,"type":"integer"},{"source":"email","target":"email"},{"source":"code","target":"code"}]}]}
            """;
        await using var sync = await StartAsync(database, rules, o => o.Partitions = 2);
        var ct = TestContext.Current.CancellationToken;

        await sync.AppendAsync("userSaved", """{"id":1,"email":"a@x","code":"A"}""", ct);
        // Keys 1 and 2 may sit in different partitions, which promise no order between them: let key 1 land first
        // so that it is key 2 that collides on the unique e-mail.
        await sync.WaitForCatchUpAsync();
        await sync.AppendAsync("userSaved", """{"id":2,"email":"a@x","code":"B"}""", ct);         // unique e-mail violated
        await sync.AppendAsync("userSaved", """{"id":2,"email":"a@x","code":"B2"}""", ct);        // waits
        await sync.AppendAsync("userSaved", """{"id":3,"email":"c@x","code":"much too long"}""", ct); // value too long for the column
        await sync.AppendAsync("userSaved", """{"id":4,"email":"d@x","code":"D"}""", ct);
        await sync.WaitForCatchUpAsync();

        Assert.Equal(["1|a@x|A", "4|d@x|D"], await ReadAsync(database, "SELECT id, email, code FROM users"));
        var parked = await sync.Operator.ListParkedAsync(cancellationToken: ct);
        Assert.Equal(["[2]", "[2]", "[3]"], parked.Select(p => p.ParkedKey.Key));
        Assert.Equal("waits behind an earlier parked event of key [2]", parked[1].Reason);

        await sync.AppendAsync("userSaved", """{"id":1,"email":"b@x","code":"A"}""", ct); // frees a@x
        await sync.WaitForCatchUpAsync();
        var replay = await sync.Operator.ReplayAsync(new ParkedKey("views", "users", "[2]"), ct);
        Assert.Equal((2, 0, true), (replay.Applied, replay.StillParked, replay.Succeeded));
        Assert.False((await sync.Operator.ReplayAsync(new ParkedKey("views", "users", "[3]"), ct)).Succeeded);

        Assert.Equal(["1|b@x|A", "2|a@x|B2", "4|d@x|D"], await ReadAsync(database, "SELECT id, email, code FROM users"));
        Assert.Equal(["[3]"], (await sync.Operator.ListParkedAsync(cancellationToken: ct)).Select(p => p.ParkedKey.Key));
    }

    [Fact]
    public async Task Bad_input_never_stops_the_worker()
    {
        var database = await Server.CreateDatabaseAsync("views");
        await using var sync = await StartAsync(database, UserModel.Rules("views"));
        var ct = TestContext.Current.CancellationToken;

        await sync.AppendAsync("userCreated", """{"id":1,"name":"a","version":1}""", ct);
        await sync.AppendAsync("userCreated", """{"id":2,""", ct);
        await sync.AppendAsync("userCreated", """{"name":"no key","version":1}""", ct);
        await sync.AppendAsync("userCreated", """{"id":3,"name":"c","version":{"x":1}}""", ct);
        await sync.AppendAsync("unknownEvent", """{"id":4}""", ct);
        await sync.Log.AppendAsync(new GravityEventData { Name = "userCreated", Payload = new byte[] { 0, 0xFF, 0x27, 0x5C } }, ct);
        await sync.AppendAsync("userCreated", """{"id":5,"name":"it's \"quoted\" \\ ; DROP TABLE users; --","version":1}""", ct);
        await sync.WaitForCatchUpAsync();

        Assert.Equal(["1|a|1", "5|it's \"quoted\" \\ ; DROP TABLE users; --|1"], await ReadAsync(database, UserModel.Select));
        var parked = await sync.Operator.ListParkedAsync(cancellationToken: ct);
        Assert.Equal([null, null, "[3]", null], parked.Select(p => p.ParkedKey.Key));
        Assert.All((await sync.Operator.GetStatusAsync(ct)), s => Assert.True(s.Running));
    }

    [Fact]
    public async Task A_composite_key_supports_upsert_and_delete()
    {
        var database = await Server.CreateDatabaseAsync("views");
        const string rules = """
            {"rules":[
              {"event":"lineSet","table":"order_lines","database":"views","mapping":[{"source":"order","target":"order_id","primary":true},{"source":"line","target":"line_no","primary":true,"type":"integer"},{"source":"qty","target":"qty","type":"integer"}]},
              {"event":"lineRemoved","table":"order_lines","method":"delete","database":"views","mapping":[{"source":"order","target":"order_id","primary":true},{"source":"line","target":"line_no","primary":true,"type":"integer"}]}
            ]}
            """;
        await using var sync = await StartAsync(database, rules, o => o.Partitions = 2);
        var ct = TestContext.Current.CancellationToken;
        await sync.AppendAsync("lineSet", """{"order":"A","line":1,"qty":1}""", ct);
        await sync.AppendAsync("lineSet", """{"order":"A","line":2,"qty":2}""", ct);
        await sync.AppendAsync("lineSet", """{"order":"B","line":1,"qty":3}""", ct);
        await sync.AppendAsync("lineSet", """{"order":"A","line":1,"qty":10}""", ct);
        await sync.AppendAsync("lineRemoved", """{"order":"A","line":2}""", ct);
        await sync.WaitForCatchUpAsync();

        Assert.Equal(["A|1|10", "B|1|3"], await ReadAsync(database, "SELECT order_id, line_no, qty FROM order_lines"));
    }

    [Fact]
    public async Task An_existing_table_that_does_not_match_the_rules_fails_the_start_with_the_column_named()
    {
        var database = await Server.CreateDatabaseAsync("views");
        await Server.ExecuteAsync(database, "CREATE TABLE users (id BIGINT PRIMARY KEY, name TEXT, _gravity_position BIGINT NOT NULL)");

        var ex = await Assert.ThrowsAsync<GravityRulesException>(() => StartAsync(database, UserModel.Rules("views")));

        Assert.StartsWith("Table \"users\" in database \"views\" has no column \"version\", which rules.json: rules[0], rules.json: rules[1], rules.json: rules[2] write; add it: ALTER TABLE ", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    // Every column type, to show values survive the copy between kinds as they survive events.
    private const string Measured = """
        {"event":"measured","table":"measurements","database":"DB","mapping":[
          {"source":"site","target":"site","primary":true},{"source":"seq","target":"seq","primary":true,"type":"integer"},
          {"source":"label","target":"label"},{"source":"count","target":"count","type":"integer"},{"source":"ratio","target":"ratio","type":"number"},
          {"source":"amount","target":"amount","type":"decimal"},{"source":"ok","target":"ok","type":"boolean"},
          {"source":"at","target":"at","type":"timestamp"},{"source":"doc","target":"doc","type":"json"}]}
        """;

    private static readonly (string Name, string Json)[] Measurements =
    [
        ("measured", """{"site":"eu-1","seq":1,"label":"Fred Chien 陳","count":9007199254740993,"ratio":0.25,"amount":"12345.6789","ok":true,"at":"2024-05-01T08:00:00+08:00","doc":{"a":[1,2]}}"""),
        ("measured", """{"site":"eu-1","seq":"2","label":null,"count":"-3","ratio":"1e3","amount":0.5,"ok":"false","at":"2024-01-02T03:04:05Z","doc":[]}"""),
    ];

    private const string SelectMeasurements = "SELECT site, seq, label, count, ratio, amount, ok, at, doc FROM measurements";

    private static string WithMeasurements(string rules, params string[] databases) =>
        rules.TrimEnd()[..^2] + "," + string.Join(",", databases.Select(d => Measured.Replace("DB", d, StringComparison.Ordinal))) + "]}";

    [Fact]
    public async Task A_new_database_of_this_kind_is_filled_from_a_SQLite_snapshot_while_events_keep_coming()
    {
        var server = await Server.CreateDatabaseAsync("db2");
        var directory = TempDirectory.Create();
        var history = UserModel.History(keys: 600, events: 3000, seed: 46);

        // Only SQLite database db1 followed the first events, which are no longer in the log.
        await SnapshotScenario.PrepareHistoryAsync(
            directory,
            d => SyncHarness.Rules(WithMeasurements(UserModel.Rules("db1"), "db1"), SyncHarness.Sqlite("db1", d)),
            [.. Measurements, .. history[..2000]],
            compactUpTo: 1900);

        var appending = SnapshotScenario.AppendSlowlyAsync(directory, history[2000..], TimeSpan.FromSeconds(1.5));
        await using var sync = await SyncHarness.StartAsync(
            d => SyncHarness.Rules(WithMeasurements(SnapshotScenario.Databases("db1", "db2"), "db1", "db2"), SyncHarness.Sqlite("db1", d), server),
            o =>
            {
                o.Partitions = 2;
                o.Databases["db2"] = new Hosting.GravityDatabaseOptions { SnapshotFrom = "db1" };
            },
            b => b.AddPostgreSql().AddMySql(),
            directory);
        await appending;
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(UserModel.Fold(history), await ReadAsync(server, UserModel.Select));
        Assert.Equal(
            ["eu-1|1|Fred Chien 陳|9007199254740993|0.25|12345.6789|1|2024-05-01T00:00:00Z", "eu-1|2|null|-3|1000|0.5|0|2024-01-02T03:04:05Z"],
            await ReadAsync(server, "SELECT site, seq, label, count, ratio, amount, ok, at FROM measurements"));
    }

    [Fact]
    public async Task A_SQLite_database_reset_from_this_kind_equals_one_that_followed_the_events()
    {
        var server = await Server.CreateDatabaseAsync("db1");
        var directory = TempDirectory.Create();
        var history = UserModel.History(keys: 600, events: 3000, seed: 48);
        await using var sync = await SyncHarness.StartAsync(
            d => SyncHarness.Rules(WithMeasurements(SnapshotScenario.Databases("db1", "db2", "db3"), "db1", "db2", "db3"), server, SyncHarness.Sqlite("db2", d), SyncHarness.Sqlite("db3", d)),
            o => o.Partitions = 2,
            b => b.AddPostgreSql().AddMySql(),
            directory);
        await sync.Log.AppendAsync([.. Measurements.Concat(history[..2000]).Select(h => GravityEventData.FromJson(h.Name, h.Json))], TestContext.Current.CancellationToken);
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));
        await SnapshotScenario.ExecuteAsync(Path.Combine(directory, "db2.db"), "DELETE FROM users; DELETE FROM measurements");

        var appending = SnapshotScenario.AppendSlowlyAsync(directory, history[2000..], TimeSpan.FromSeconds(1.5));
        var result = await sync.Operator.ResetFromSnapshotAsync("db2", "db1", TestContext.Current.CancellationToken);
        await appending;
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));

        Assert.True(result.Positions[SqliteEventLog.DefaultName] >= 2002);
        Assert.Equal(UserModel.Fold(history), await SnapshotScenario.ReadUsersAsync(directory, "db2"));
        var followed = await Views.ReadSqliteAsync(Path.Combine(directory, "db3.db"), SelectMeasurements);
        Assert.Equal(2, followed.Count);
        Assert.Equal(followed, await Views.ReadSqliteAsync(Path.Combine(directory, "db2.db"), SelectMeasurements));
    }

    [Fact]
    public async Task One_event_fans_out_to_SQLite_and_this_database()
    {
        var database = await Server.CreateDatabaseAsync("server");
        const string rules = """
            {"rules":[
              {"event":"userCreated","table":"users","method":"update","mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"name","target":"col_name"},{"source":"email","target":"col_email"}]},
              {"event":"userCreated","database":"server"},
              {"event":"userCreated","database":"embedded"}
            ]}
            """;
        await using var sync = await SyncHarness.StartAsync(dir => SyncHarness.Rules(rules, database, SyncHarness.Sqlite("embedded", dir)), build: b => b.AddPostgreSql().AddMySql());

        await sync.AppendAsync("userCreated", """{"id":1,"name":"Fred Chien","email":"fred@brobridge.com"}""", TestContext.Current.CancellationToken);
        await sync.WaitForCatchUpAsync();

        string[] expected = ["1|Fred Chien|fred@brobridge.com"];
        Assert.Equal(expected, await ReadAsync(database, "SELECT id, col_name, col_email FROM users"));
        Assert.Equal(expected, await Views.ReadSqliteAsync(Path.Combine(sync.Directory, "embedded.db"), "SELECT id, col_name, col_email FROM users"));
    }
}
