using System.Text;
using Gravity.Sync.Hosting;
using Gravity.Sync.Rules;
using Gravity.Sync.Tests.Infrastructure;

namespace Gravity.Sync.Tests.Snapshots;

/// <summary>
/// databases.json can say where a new database is filled from (<c>"snapshotFrom"</c>), beside its connection settings;
/// configuration (<c>Gravity:Sync:Databases:&lt;name&gt;:SnapshotFrom</c>) replaces the file's value, and mistakes fail the
/// start naming the file, the database and the field.
/// </summary>
public sealed class SnapshotFromFileTests
{
    private static GravityRuleSet RulesWithFile(string databasesJson) => new GravityRuleSetBuilder()
        .AddDatabasesJson("databases.json", Encoding.UTF8.GetBytes(databasesJson))
        .AddRulesJson("rules.json", Encoding.UTF8.GetBytes(SnapshotScenario.TwoDatabases("db1", "db2")))
        .Build();

    private static string Databases(string db2Extra) =>
        """{"databases":{"db1":{"type":"sqlite","dbName":"db1.db"},"db2":{"type":"sqlite","dbName":"db2.db" """ + db2Extra + "}}}";

    [Fact]
    public async Task A_new_database_whose_databases_json_entry_names_snapshotFrom_is_filled_from_that_database()
    {
        var directory = TempDirectory.Create();
        var history = UserModel.History(keys: 300, events: 1500, seed: 61);
        await SnapshotScenario.PrepareHistoryAsync(directory, history[..1200], compactUpTo: 1000);
        await SnapshotScenario.AppendSlowlyAsync(directory, history[1200..], TimeSpan.Zero);

        await using var sync = await SyncHarness.StartAsync(_ => RulesWithFile(Databases(""","snapshotFrom":"db1" """)), o => o.Partitions = 2, directory: directory);
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));

        // The log lost its first 1000 events: only a copy of db1 can make db2 equal the fold.
        Assert.Equal(UserModel.Fold(history), await SnapshotScenario.ReadUsersAsync(directory, "db2"));
    }

    [Fact]
    public async Task Configuration_replaces_the_snapshotFrom_of_databases_json()
    {
        var directory = TempDirectory.Create();
        var history = UserModel.History(keys: 200, events: 800, seed: 62);
        await SnapshotScenario.PrepareHistoryAsync(directory, history, compactUpTo: 600);

        // The file names an origin this deployment does not have; the environment's setting wins, so the start succeeds.
        await using var sync = await SyncHarness.StartAsync(
            _ => RulesWithFile(Databases(""","snapshotFrom":"staging-copy" """)),
            o =>
            {
                o.Partitions = 2;
                o.Databases["db2"] = new GravityDatabaseOptions { SnapshotFrom = "db1" };
            },
            directory: directory);
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(UserModel.Fold(history), await SnapshotScenario.ReadUsersAsync(directory, "db2"));
    }

    [Theory]
    [InlineData("\"nope\"", "databases.json: databases.db2: field \"snapshotFrom\" is \"nope\": \"nope\" is neither a database this synchronizer writes (db1, db2) nor a registered snapshot source (none).")]
    [InlineData("\"db2\"", "databases.json: databases.db2: field \"snapshotFrom\": database \"db2\" cannot be filled from itself")]
    [InlineData("\"\"", "databases.json: databases.db2: field \"snapshotFrom\" is empty")]
    [InlineData("42", "databases.json: databases.db2: field \"snapshotFrom\" must be a string, but it is a number.")]
    public async Task A_bad_snapshotFrom_in_databases_json_fails_the_start_naming_the_file_the_database_and_the_field(string value, string message)
    {
        var ex = await Assert.ThrowsAsync<GravityRulesException>(() => SyncHarness.StartAsync(_ => RulesWithFile(Databases($",\"snapshotFrom\":{value}"))));

        Assert.StartsWith(message, Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_databases_json_origin_with_other_rules_fails_the_start_naming_the_file()
    {
        const string otherRules = """
            {"rules":[
              {"event":"userCreated","table":"users","method":"update","database":"db1","mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"name","target":"name"}]},
              {"event":"userCreated","table":"users","method":"insert","database":"db2","mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"name","target":"name"}]}
            ]}
            """;
        var ex = await Assert.ThrowsAsync<GravityRulesException>(() => SyncHarness.StartAsync(_ => new GravityRuleSetBuilder()
            .AddDatabasesJson("databases.json", Encoding.UTF8.GetBytes(Databases(""","snapshotFrom":"db1" """)))
            .AddRulesJson("rules.json", Encoding.UTF8.GetBytes(otherRules))
            .Build()));

        Assert.StartsWith("databases.json: databases.db2: field \"snapshotFrom\" is \"db1\": the rules writing table \"users\" differ", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }
}
