using Gravity.Sync.Rules;

namespace Gravity.Sync.Tests.Rules;

/// <summary>The seed's rules.json, databases.json and exporter.json, loaded verbatim (Fixtures/seed and Fixtures/spec).</summary>
public sealed class SeedRuleFilesTests
{
    private static string Seed(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "seed", file);

    private static string Spec(string file) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "spec", file);

    [Fact]
    public void Files_saved_with_a_UTF8_byte_order_mark_load_like_the_others()
    {
        static byte[] WithBom(string file) => [.. "\uFEFF"u8, .. File.ReadAllBytes(file)];

        var set = new GravityRuleSetBuilder()
            .AddDatabasesJson("databases.json", WithBom(Seed("databases.json")))
            .AddRulesJson("rules.json", WithBom(Seed("rules.json")))
            .AddRulesJson("rules-databases.json", WithBom(Seed("rules-databases.json")))
            .Build();

        Assert.Equal(["db1", "db2"], set.Rules.Select(r => r.Database).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_three_seed_slides_load_into_one_rule_per_database()
    {
        var set = GravityRuleFiles.Load(
            [Seed("rules.json"), Seed("rules-databases.json"), Seed("rules-exporters.json")],
            Seed("databases.json"),
            Seed("exporter.json"));

        Assert.Equal(2, set.Rules.Count);
        Assert.All(set.Rules, rule =>
        {
            Assert.Equal("userCreated", rule.Event);
            Assert.Equal("users", rule.Table);
            Assert.Equal(ProjectionMethod.Upsert, rule.Method); // "update" is the seed's word for upsert
            Assert.Equal(["id"], rule.KeyColumns);
            Assert.Equal(
                [new ColumnMapping("id", "id", true), new ColumnMapping("name", "col_name"), new ColumnMapping("email", "col_email")],
                rule.Mapping);
        });
        var db1 = Assert.Single(set.Rules, r => r.Database == "db1");
        Assert.Equal(["exporter1", "exporter2"], db1.Exporters);
        Assert.Empty(Assert.Single(set.Rules, r => r.Database == "db2").Exporters);

        Assert.Equal(DatabaseDefinition.Postgres, set.Databases["db1"].Type);
        Assert.Equal("192.168.1.1", set.Databases["db1"].Host);
        Assert.Equal(32805, set.Databases["db1"].Port);
        Assert.Equal("gravity", set.Databases["db1"].DbName);
        Assert.Equal(DatabaseDefinition.MySql, set.Databases["db2"].Type);
        Assert.Equal("mysql", set.Databases["db2"].Username);

        Assert.Equal("kafka", set.Exporters["exporter1"].Type);
        Assert.Equal("customized", set.Exporters["exporter1"].Settings["topic"]);
        Assert.Equal("32806", set.Exporters["exporter1"].Settings["port"]);
        Assert.Equal("restful_api", set.Exporters["exporter2"].Type);
        Assert.Equal("http://192.168.1.6/api", set.Exporters["exporter2"].Settings["url"]);
    }

    [Fact]
    public void The_spec_example_loads_the_same_model()
    {
        var set = GravityRuleFiles.Load([Spec("rules.json")], Spec("databases.json"), Seed("exporter.json"));

        Assert.Equal(["db1", "db2"], set.Rules.Select(r => r.Database));
        Assert.Equal(["exporter1", "exporter2"], set.Rules[0].Exporters);
        Assert.Equal(["col_name", "col_email"], set.Rules[0].Mapping.Where(m => !m.Primary).Select(m => m.Target));
        Assert.Equal("…", set.Databases["db2"].Password);
    }

    [Fact]
    public void The_first_slide_alone_names_no_database_and_says_how_to_add_one()
    {
        var ex = Assert.Throws<GravityRulesException>(() => GravityRuleFiles.Load([Seed("rules.json")], Seed("databases.json")));

        var error = Assert.Single(ex.Errors);
        Assert.Equal("rules.json: rules[0] (event \"userCreated\"): the rule names no \"database\" and no rule {\"event\":\"userCreated\",\"database\":\"…\"} attaches one; add one (or configure a default database).", error);
    }

    [Fact]
    public void The_first_slide_alone_writes_to_the_default_database()
    {
        var set = GravityRuleFiles.Load([Seed("rules.json")], Seed("databases.json"), configure: b => b.DefaultDatabase = "db2");

        Assert.Equal("db2", Assert.Single(set.Rules).Database);
    }

    [Fact]
    public void Exporters_the_rules_name_must_be_defined()
    {
        var ex = Assert.Throws<GravityRulesException>(() =>
            GravityRuleFiles.Load([Seed("rules.json"), Seed("rules-exporters.json")], Seed("databases.json")));

        Assert.Contains("rules-exporters.json: rules[0] (event \"userCreated\"): field \"exporter\": \"exporter1\" is not defined in exporter.json (none is defined).", ex.Errors);
        Assert.Contains("rules-exporters.json: rules[0] (event \"userCreated\"): field \"exporter\": \"exporter2\" is not defined in exporter.json (none is defined).", ex.Errors);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var ex = Assert.Throws<GravityRulesException>(() => GravityRuleFiles.Load([Seed("nope.json")]));

        Assert.StartsWith(Seed("nope.json") + ": cannot be read", Assert.Single(ex.Errors), StringComparison.Ordinal);
    }
}
