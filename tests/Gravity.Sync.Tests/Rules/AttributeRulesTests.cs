using System.Text;
using Gravity.Sync.Events;
using Gravity.Sync.Hosting;
using Gravity.Sync.Operations;
using Gravity.Sync.Rules;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Tests.Rules;

/// <summary>
/// [Projection] rules (AttributeEvents.cs, generated at build time) and rules.json rules load into one rule model, run
/// through the real synchronizer into SQLite, and fail the start together when they disagree.
/// </summary>
public sealed class AttributeRulesTests
{
    private const string DatabasesJson = """{"databases":{"views":{"type":"sqlite","dbName":"views.db"}}}""";

    // Attaches the database to the attribute rule that names none, and adds a second table for an attribute event.
    private const string RulesJson = """
        {"rules":[
          {"event":"memberLeft","database":"views"},
          {"event":"memberJoined","table":"member_emails","method":"insert","database":"views",
           "mapping":[{"source":"email","target":"email","primary":true},{"source":"id","target":"member_id","type":"integer"}]}
        ]}
        """;

    [Fact]
    public void Attribute_rules_and_rules_json_rules_become_one_rule_set()
    {
        GravityRuleSet rules = GravityRuleFiles.Load([Write("rules.json", RulesJson)], Write("databases.json", DatabasesJson), configure: b => b.AddGeneratedProjections());

        Assert.Equal(
            [
                "memberJoined member_emails Insert views rules.json: rules[1]",
                "memberJoined members Upsert views AttributeEvents.cs(9): [Projection] on Gravity.Sync.Tests.Rules.MemberJoined",
                "memberLeft members Delete views AttributeEvents.cs(18): [Projection] on Gravity.Sync.Tests.Rules.MemberLeft",
            ],
            rules.Rules.Select(r => $"{r.Event} {r.Table} {r.Method} {r.Database} {r.Origin}").Order(StringComparer.Ordinal));
        ProjectionRule members = rules.RulesFor("memberJoined").Single(r => r.Table == "members");
        Assert.Equal(["id"], members.KeyColumns);
        Assert.Equal(
            ["id->id Integer", "name->display_name String", "email->email String", "joinedAt->joinedAt Timestamp", "credit->credit Decimal"],
            members.Mapping.Select(m => $"{m.Source}->{m.Target} {m.Type}"));
    }

    [Fact]
    public async Task Attribute_declared_events_apply_into_SQLite_through_the_synchronizer_next_to_rules_json_rules()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = TempDirectory.Create();
        try
        {
            using var host = await StartAsync(directory, o =>
            {
                o.RulesFiles.Add(Write(directory, "rules.json", RulesJson));
                o.DatabasesFile = Write(directory, "databases.json", DatabasesJson);
            }, gravity => gravity.AddGeneratedProjections());
            var publisher = host.Services.GetRequiredService<IGravityEventPublisher>();
            var joined = new DateTimeOffset(2024, 3, 4, 5, 6, 7, TimeSpan.Zero);

            await publisher.PublishAsync(
                [
                    new MemberJoined(1, "Fred Chien", "fred@brobridge.com", joined, 10.5m).ToGravityEvent(),
                    new MemberJoined(2, "Ada", null, joined, 0m).ToGravityEvent(),
                    new MemberJoined(3, "Lin", "lin@example.com", joined, 3m).ToGravityEvent(),
                    new MemberJoined(2, "Ada L.", "ada@example.com", joined, 7.25m).ToGravityEvent(),
                    new MemberLeft(3).ToGravityEvent(),
                ],
                ct);
            await WaitForCatchUpAsync(host.Services.GetRequiredService<IGravitySyncOperator>(), ct);

            var views = Path.Combine(directory, "views.db");
            Assert.Equal(
                ["1|Fred Chien|fred@brobridge.com|2024-03-04T05:06:07.0000000Z|10.5", "2|Ada L.|ada@example.com|2024-03-04T05:06:07.0000000Z|7.25"],
                await Views.ReadSqliteAsync(views, "SELECT id, display_name, email, joinedAt, credit FROM members"));
            Assert.Equal(
                ["ada@example.com|2", "fred@brobridge.com|1", "lin@example.com|3"],
                await Views.ReadSqliteAsync(views, "SELECT email, member_id FROM member_emails"));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task Attribute_rules_alone_run_with_a_database_declared_in_code()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = TempDirectory.Create();
        try
        {
            using var host = await StartAsync(directory, o => o.DefaultDatabase = "views", gravity => gravity
                .AddDatabaseDefinition(new DatabaseDefinition { Name = "views", Type = DatabaseDefinition.Sqlite, DbName = "views.db" })
                .AddGeneratedProjections());

            await host.Services.GetRequiredService<IGravityEventPublisher>().PublishAsync(new MemberJoined(7, "Grace", null, DateTimeOffset.UnixEpoch, 1m).ToGravityEvent(), ct);
            await WaitForCatchUpAsync(host.Services.GetRequiredService<IGravitySyncOperator>(), ct);

            Assert.Equal(["7|Grace"], await Views.ReadSqliteAsync(Path.Combine(directory, "views.db"), "SELECT id, display_name FROM members"));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task The_same_event_and_table_in_rules_json_and_an_attribute_fails_the_start_naming_both()
    {
        const string conflicting = """
            {"rules":[
              {"event":"memberLeft","database":"views"},
              {"event":"memberJoined","table":"members","method":"update","database":"views","mapping":[{"source":"id","target":"id","primary":true,"type":"integer"}]}
            ]}
            """;
        var directory = TempDirectory.Create();
        try
        {
            var ex = await Assert.ThrowsAsync<GravityRulesException>(() => StartAsync(directory, o =>
            {
                o.RulesFiles.Add(Write(directory, "rules.json", conflicting));
                o.DatabasesFile = Write(directory, "databases.json", DatabasesJson);
            }, gravity => gravity.AddGeneratedProjections()));

            Assert.Equal(
                "AttributeEvents.cs(9): [Projection] on Gravity.Sync.Tests.Rules.MemberJoined (event \"memberJoined\", table \"members\", database \"views\"): rules.json: rules[1] already projects event \"memberJoined\" into this table; declare it once (remove one of the two rules).",
                Assert.Single(ex.Errors));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public void A_database_the_attribute_names_but_nobody_defines_is_reported_with_the_attribute_property()
    {
        var builder = new GravityRuleSetBuilder()
            .AddDatabase(new DatabaseDefinition { Name = "other", Type = DatabaseDefinition.Sqlite, DbName = "other.db" })
            .AddGeneratedProjections();

        var ex = Assert.Throws<GravityRulesException>(() => builder.Build());

        Assert.Contains(
            "AttributeEvents.cs(9): [Projection] on Gravity.Sync.Tests.Rules.MemberJoined (event \"memberJoined\"): field \"Databases\": \"views\" is not defined in databases.json (defined: other).",
            ex.Errors);
        Assert.Contains(
            "AttributeEvents.cs(18): [Projection] on Gravity.Sync.Tests.Rules.MemberLeft (event \"memberLeft\"): the rule names no \"database\" and no rule {\"event\":\"memberLeft\",\"database\":\"…\"} attaches one; add one (or configure a default database).",
            ex.Errors);
    }

    [Fact]
    public async Task UseRules_with_generated_projections_fails_the_start_instead_of_dropping_them()
    {
        var directory = TempDirectory.Create();
        try
        {
            var ex = await Assert.ThrowsAsync<GravityRulesException>(() => StartAsync(directory, null, gravity => gravity
                .UseRules(SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", directory)))
                .AddGeneratedProjections()));

            Assert.StartsWith("UseRules(...) gives the complete rule set, so the 2 rule declaration(s) added with AddGeneratedProjections()/AddRuleDeclarations(...) would be ignored;", Assert.Single(ex.Errors), StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task A_database_declared_in_code_and_in_databases_json_fails_the_start()
    {
        var directory = TempDirectory.Create();
        try
        {
            var ex = await Assert.ThrowsAsync<GravityRulesException>(() => StartAsync(directory, o => o.DatabasesFile = Write(directory, "databases.json", DatabasesJson), gravity => gravity
                .AddDatabaseDefinition(new DatabaseDefinition { Name = "views", Type = DatabaseDefinition.Sqlite, DbName = "other.db" })
                .AddGeneratedProjections()));

            Assert.Equal($"Database \"views\" is declared both in {Path.Combine(directory, "databases.json")} and with AddDatabaseDefinition(...); keep one of them.", Assert.Single(ex.Errors));
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    private static async Task<IHost> StartAsync(string directory, Action<GravitySyncOptions>? configure, Action<IGravitySyncBuilder> build)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var gravity = builder.Services.AddGravitySync(o =>
        {
            o.DataDirectory = directory;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.CheckpointInterval = TimeSpan.FromMilliseconds(20);
            o.StartupTimeout = TimeSpan.FromSeconds(20);
            configure?.Invoke(o);
        });
        build(gravity);
        var host = builder.Build();
        try
        {
            await host.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            host.Dispose();
            throw;
        }

        return host;
    }

    private static async Task WaitForCatchUpAsync(IGravitySyncOperator gravity, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<TargetStatus> status = [];
        while (DateTime.UtcNow < deadline)
        {
            status = await gravity.GetStatusAsync(cancellationToken);
            if (status.Count > 0 && status.All(s => s.Running && s.CaughtUp && s.HeadPosition > 0 && s.Position >= s.HeadPosition))
            {
                return;
            }

            await Task.Delay(20, cancellationToken);
        }

        throw new TimeoutException("The synchronizer did not catch up: " + string.Join("; ", status));
    }

    private static string Write(string name, string content) => Write(TempDirectory.Create(), name, content);

    private static string Write(string directory, string name, string content)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, content, Encoding.UTF8);
        return path;
    }
}
