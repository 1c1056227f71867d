using Gravity.Sync.Rules;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Gravity.Sync.Tests.Sync;

/// <summary>Misconfiguration stops the host at start-up with a message that says what to fix.</summary>
public sealed class StartupValidationTests
{
    [Fact]
    public async Task An_existing_table_that_does_not_match_the_rules_fails_the_start()
    {
        var ex = await Assert.ThrowsAsync<GravityRulesException>(() => SyncHarness.StartAsync(dir =>
        {
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "views.db")};Pooling=false"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "CREATE TABLE users (id INTEGER, name TEXT, version BLOB)";
                command.ExecuteNonQuery();
            }

            return SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir));
        }));

        Assert.Contains("Table \"users\" in database \"views\" has no integer column \"_gravity_position\", where Gravity keeps the source position of each row so an older event never overwrites a newer one; add it: ALTER TABLE \"users\" ADD \"_gravity_position\" INTEGER NOT NULL DEFAULT 0", ex.Errors);
        Assert.Contains("Table \"users\" in database \"views\" has no primary key or unique index on (id), the key of rules.json: rules[0], rules.json: rules[1], rules.json: rules[2]; upserts and deletes need one.", ex.Errors);
        Assert.Contains("Table \"users\" in database \"views\": column \"version\" has type BLOB, which Gravity cannot write (it writes text, integers, floating-point and decimal numbers, booleans, timestamps and JSON).", ex.Errors);
    }

    [Fact]
    public async Task A_declared_type_that_differs_from_the_existing_column_fails_the_start()
    {
        var ex = await Assert.ThrowsAsync<GravityRulesException>(() => SyncHarness.StartAsync(dir =>
        {
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "views.db")};Pooling=false"))
            {
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, version TEXT, _gravity_position INTEGER NOT NULL)";
                command.ExecuteNonQuery();
            }

            return SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir));
        }));

        Assert.Equal("Table \"users\" in database \"views\": column \"version\" has type TEXT, but rules.json: rules[0], rules.json: rules[1], rules.json: rules[2] declare it integer.", Assert.Single(ex.Errors));
    }

    [Fact]
    public async Task A_pass_through_rule_needs_an_existing_table()
    {
        var ex = await Assert.ThrowsAsync<GravityRulesException>(() => SyncHarness.StartAsync(dir =>
            SyncHarness.Rules("""{"rules":[{"event":"userCreated","table":"users","primaryKey":"id","database":"views"}]}""", SyncHarness.Sqlite("views", dir))));

        Assert.StartsWith("Table \"users\" does not exist in database \"views\", and rules.json: rules[0] (event \"userCreated\", table \"users\", database \"views\") has no mapping to create it from", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_type_without_its_package_says_which_package_to_add()
    {
        var ex = await Assert.ThrowsAsync<GravityRulesException>(() => SyncHarness.StartAsync(_ =>
            SyncHarness.Rules(UserModel.Rules("db1"), new DatabaseDefinition { Name = "db1", Type = DatabaseDefinition.Postgres, Host = "localhost", File = "databases.json" })));

        Assert.Equal("databases.json: databases.db1: type \"postgres\" has no writer registered; add the Gravity.Sync.PostgreSql package and call AddPostgreSql() on the builder AddGravitySync returns.", Assert.Single(ex.Errors));
    }

    [Fact]
    public async Task An_exporter_type_without_an_implementation_fails_the_start()
    {
        var ex = await Assert.ThrowsAsync<GravityRulesException>(() => SyncHarness.StartAsync(dir => new GravityRuleSetBuilder()
            .AddDatabase(SyncHarness.Sqlite("db1", dir))
            .AddExporter(new ExporterDefinition { Name = "exporter1", Type = "kafka", File = "exporter.json" })
            .AddRulesJson("rules.json", """{"rules":[{"event":"e","table":"t","database":"db1","exporter":["exporter1"],"mapping":[{"source":"id","target":"id","primary":true}]}]}"""u8)
            .Build()));

        Assert.Equal("exporter.json: exporter.exporter1: type \"kafka\" has no exporter registered; add the exporter package for it (or remove \"exporter1\" from the rules).", Assert.Single(ex.Errors));
    }

    [Fact]
    public async Task Invalid_options_are_reported_with_their_configuration_keys()
    {
        var ex = await Assert.ThrowsAsync<OptionsValidationException>(() => SyncHarness.StartAsync(
            dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir)),
            o => { o.Partitions = 0; o.RetryBaseDelay = TimeSpan.FromMinutes(5); }));

        Assert.Contains("Gravity:Sync:Partitions is 0; it must be between 1 and 256.", ex.Failures);
        Assert.Contains("Gravity:Sync:RetryBaseDelay (00:05:00) is longer than RetryMaxDelay (00:00:00.2000000).", ex.Failures);
    }

    [Fact]
    public async Task Options_and_rule_files_come_from_the_Gravity_Sync_configuration_section()
    {
        var dir = TempDirectory.Create();
        try
        {
            File.WriteAllText(Path.Combine(dir, "rules.json"), UserModel.Rules("views"));
            File.WriteAllText(Path.Combine(dir, "databases.json"), """{"databases":{"views":{"type":"sqlite","dbName":"views.db"}}}""");
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Gravity:Sync:RulesFiles:0"] = Path.Combine(dir, "rules.json"),
                ["Gravity:Sync:DatabasesFile"] = Path.Combine(dir, "databases.json"),
                ["Gravity:Sync:DataDirectory"] = dir,
                ["Gravity:Sync:Databases:views:Partitions"] = "2",
                ["Gravity:Sync:CheckpointInterval"] = "00:00:00.020",
            });
            builder.Services.AddGravitySync();
            using var host = builder.Build();
            await host.StartAsync(TestContext.Current.CancellationToken);

            await host.Services.GetRequiredService<Gravity.Sync.EventLog.IGravityEventLog>().AppendAsync([Gravity.Sync.Events.GravityEventData.FromJson("userCreated", """{"id":1,"name":"a","version":1}""")], TestContext.Current.CancellationToken);
            var op = host.Services.GetRequiredService<Gravity.Sync.Operations.IGravitySyncOperator>();
            for (var i = 0; i < 500 && !(await op.GetStatusAsync(TestContext.Current.CancellationToken)).All(s => s.CaughtUp && s.Position > 0); i++)
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
            }

            await host.StopAsync(TestContext.Current.CancellationToken);
            Assert.Equal(["1|a|1"], await Views.ReadSqliteAsync(Path.Combine(dir, "views.db"), UserModel.Select));
            Assert.Equal(["0|1", "1|1"], await Views.ReadSqliteAsync(Path.Combine(dir, "views.db"), "SELECT partition_no, position FROM gravity_checkpoints"));
        }
        finally
        {
            TempDirectory.Delete(dir);
        }
    }

    [Fact]
    public async Task An_unknown_configuration_key_is_an_error()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Gravity:Sync:Partitons"] = "2" });
        builder.Services.AddGravitySync();
        using var host = builder.Build();

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Partitons", ex.Message, StringComparison.Ordinal);
    }
}
