using Gravity.Sync.Hosting;
using Gravity.Sync.Operations;
using Gravity.Sync.Rules;
using Gravity.Sync.Tests.Infrastructure;

namespace Gravity.Sync.Tests.Snapshots;

/// <summary>
/// A new or reset database is filled from a snapshot of another and handed over to the live stream at the snapshot's
/// positions: no lost rows (the early events are no longer in the log), no duplicated or stale rows, deletes honoured,
/// also while events keep coming and when the load is killed half-way.
/// </summary>
public sealed class SnapshotHandOverTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<SyncHarness> StartBothAsync(string directory, Action<GravitySyncOptions>? configure = null) =>
        SyncHarness.StartAsync(
            d => SyncHarness.Rules(SnapshotScenario.TwoDatabases("db1", "db2"), SyncHarness.Sqlite("db1", d), SyncHarness.Sqlite("db2", d)),
            o =>
            {
                o.Partitions = 2;
                o.Databases["db2"] = new GravityDatabaseOptions { SnapshotFrom = "db1" };
                configure?.Invoke(o);
            },
            directory: directory);

    [Fact]
    public async Task A_new_database_is_filled_from_a_snapshot_while_events_keep_coming_and_then_equals_the_fold()
    {
        var directory = TempDirectory.Create();
        var history = UserModel.History(keys: 1500, events: 7500, seed: 41);
        await SnapshotScenario.PrepareHistoryAsync(directory, history[..6000], compactUpTo: 5000);

        var appending = SnapshotScenario.AppendSlowlyAsync(directory, history[6000..], TimeSpan.FromSeconds(1.5));
        await using var sync = await StartBothAsync(directory, o => o.MaxBatchRows = 20);
        await appending;
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));

        var fold = UserModel.Fold(history);
        Assert.Equal(fold, await SnapshotScenario.ReadUsersAsync(directory, "db1"));
        Assert.Equal(fold, await SnapshotScenario.ReadUsersAsync(directory, "db2"));
        Assert.Equal(0, await SnapshotScenario.ScalarAsync(Path.Combine(directory, "db2.db"), "SELECT COUNT(*) FROM gravity_snapshot"));

        // A restart does not copy again: the database has checkpoints now and simply resumes.
        await SnapshotScenario.ExecuteAsync(Path.Combine(directory, "db2.db"), "UPDATE users SET name = 'kept' WHERE id = (SELECT MIN(id) FROM users)");
        await sync.RestartAsync();
        await sync.WaitForCatchUpAsync();
        Assert.Contains(await SnapshotScenario.ReadUsersAsync(directory, "db2"), r => r.Contains("|kept|", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_load_killed_half_way_is_never_served_as_complete_and_is_loaded_again_on_restart()
    {
        var directory = TempDirectory.Create();
        var history = UserModel.History(keys: 3000, events: 9000, seed: 42);
        await SnapshotScenario.PrepareHistoryAsync(directory, history[..8000], compactUpTo: 7000);
        var db2 = Path.Combine(directory, "db2.db");

        var appending = SnapshotScenario.AppendSlowlyAsync(directory, history[8000..], TimeSpan.FromSeconds(2));
        await using var sync = await StartBothAsync(directory, o => o.MaxBatchRows = 2);
        SnapshotProgress? seen = null;
        for (var i = 0; i < 10_000 && seen is not { RowsLoaded: > 0 }; i++)
        {
            seen = (await sync.Operator.GetStatusAsync(Ct)).FirstOrDefault(s => s.Database == "db2")?.Snapshot;
        }

        Assert.NotNull(seen);
        Assert.Equal("db1", seen.From);
        await sync.StopAsync(abrupt: true);

        // Killed mid-load: the marker says so, and no checkpoint claims the half-loaded tables are complete.
        var loaded = await SnapshotScenario.ScalarAsync(db2, "SELECT COUNT(*) FROM users");
        Assert.Equal(1, await SnapshotScenario.ScalarAsync(db2, "SELECT COUNT(*) FROM gravity_snapshot"));
        Assert.Equal(0, await SnapshotScenario.ScalarAsync(db2, "SELECT COUNT(*) FROM gravity_checkpoints"));
        Assert.InRange(loaded, 1, await SnapshotScenario.ScalarAsync(Path.Combine(directory, "db1.db"), "SELECT COUNT(*) FROM users") - 1);

        await sync.RestartAsync();
        await appending;
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(UserModel.Fold(history), await SnapshotScenario.ReadUsersAsync(directory, "db2"));
        Assert.Equal(0, await SnapshotScenario.ScalarAsync(db2, "SELECT COUNT(*) FROM gravity_snapshot"));
    }

    [Fact]
    public async Task An_operator_reset_refills_a_damaged_database_while_events_keep_coming()
    {
        var directory = TempDirectory.Create();
        var history = UserModel.History(keys: 800, events: 5000, seed: 43);
        await SnapshotScenario.PrepareHistoryAsync(directory, history[..3000], compactUpTo: 0);
        await using var sync = await StartBothAsync(directory);
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));
        var db2 = Path.Combine(directory, "db2.db");
        await SnapshotScenario.ExecuteAsync(db2, "DELETE FROM users WHERE id % 3 = 0; UPDATE users SET name = 'wrong', _gravity_position = 999999999 WHERE id % 3 = 1; INSERT INTO users (id, name, version, _gravity_position) VALUES (100000, 'stray', 1, 1)");

        var appending = SnapshotScenario.AppendSlowlyAsync(directory, history[3000..], TimeSpan.FromSeconds(1.5));
        await Task.Delay(200, Ct);
        var result = await sync.Operator.ResetFromSnapshotAsync("db2", "db1", Ct);
        await appending;
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(("db2", "db1"), (result.Database, result.From));
        Assert.InRange(result.Positions["embedded"], 3000, history.Count);
        Assert.True(result.Rows > 0);

        // The status says where the database comes from and what the last load did, for the manager's Sync page.
        var statuses = await sync.Operator.GetStatusAsync(Ct);
        var db2Status = Assert.Single(statuses, s => s.Database == "db2");
        Assert.Equal(("db1", "db1", result.Rows, result.Duration), (db2Status.SnapshotFrom, db2Status.LastSnapshot?.From, db2Status.LastSnapshot?.Rows, db2Status.LastSnapshot?.Duration));
        Assert.Equal((null, null), (Assert.Single(statuses, s => s.Database == "db1").SnapshotFrom, Assert.Single(statuses, s => s.Database == "db1").LastSnapshot));
        Assert.Equal(UserModel.Fold(history), await SnapshotScenario.ReadUsersAsync(directory, "db2"));
        Assert.Equal(UserModel.Fold(history), await SnapshotScenario.ReadUsersAsync(directory, "db1"));
    }

    [Fact]
    public async Task Keys_parked_in_the_origin_stay_parked_in_the_copy_and_replay_there()
    {
        var directory = TempDirectory.Create();
        await using var sync = await SyncHarness.StartAsync(
            d => SyncHarness.Rules(SnapshotScenario.TwoDatabases("db1", "db2"), SyncHarness.Sqlite("db1", d), SyncHarness.Sqlite("db2", d)),
            directory: directory);
        await sync.AppendAsync("userCreated", """{"id":1,"name":"a","version":1}""", Ct);
        await sync.AppendAsync("userCreated", """{"id":2,"name":"b","version":"not a number"}""", Ct);
        await sync.AppendAsync("userRenamed", """{"id":2,"name":"b2","version":2}""", Ct);
        await sync.WaitForCatchUpAsync();
        await SnapshotScenario.ExecuteAsync(Path.Combine(directory, "db2.db"), "DELETE FROM gravity_parked");

        await sync.Operator.ResetFromSnapshotAsync("db2", "db1", Ct);
        await sync.WaitForCatchUpAsync();

        var parked = await sync.Operator.ListParkedAsync("db2", Ct);
        Assert.Equal([("[2]", 2L), ("[2]", 3L)], parked.Select(p => (p.ParkedKey.Key, p.Position)));
        Assert.Equal(["1|a|1"], await SnapshotScenario.ReadUsersAsync(directory, "db2"));
        var replay = await sync.Operator.ReplayAsync(new ParkedKey("db2", "users", "[2]"), Ct);
        Assert.Equal((0, 2, false), (replay.Applied, replay.StillParked, replay.Succeeded));
    }

    [Fact]
    public async Task A_snapshot_from_an_unknown_database_itself_or_one_with_other_rules_fails_the_start_naming_the_key()
    {
        async Task<string> StartFailingAsync(string rules, string from)
        {
            var ex = await Assert.ThrowsAsync<GravityRulesException>(() => SyncHarness.StartAsync(
                d => SyncHarness.Rules(rules, SyncHarness.Sqlite("db1", d), SyncHarness.Sqlite("db2", d)),
                o => o.Databases["db2"] = new GravityDatabaseOptions { SnapshotFrom = from }));
            return Assert.Single(ex.Errors);
        }

        var both = SnapshotScenario.TwoDatabases("db1", "db2");
        Assert.StartsWith("Gravity:Sync:Databases:db2:SnapshotFrom is \"nope\": \"nope\" is neither a database this synchronizer writes (db1, db2) nor a registered snapshot source (none).", await StartFailingAsync(both, "nope"), StringComparison.Ordinal);
        Assert.Contains("cannot be filled from itself", await StartFailingAsync(both, "db2"), StringComparison.Ordinal);
        const string otherRules = """
            {"rules":[
              {"event":"userCreated","table":"users","method":"update","database":"db1","mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"name","target":"name"}]},
              {"event":"userCreated","table":"users","method":"insert","database":"db2","mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"name","target":"name"}]}
            ]}
            """;
        Assert.Contains("the rules writing table \"users\" differ between \"db2\" and \"db1\"", await StartFailingAsync(otherRules, "db1"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_operator_reset_refuses_unknown_names_before_touching_anything()
    {
        var directory = TempDirectory.Create();
        await using var sync = await StartBothAsync(directory);
        await sync.AppendAsync("userCreated", """{"id":1,"name":"a","version":1}""", Ct);
        await sync.WaitForCatchUpAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => sync.Operator.ResetFromSnapshotAsync("db3", "db1", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => sync.Operator.ResetFromSnapshotAsync("db2", "db3", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => sync.Operator.ResetFromSnapshotAsync("db1", "db1", Ct));
        Assert.Equal(["1|a|1"], await SnapshotScenario.ReadUsersAsync(directory, "db2"));
    }
}
