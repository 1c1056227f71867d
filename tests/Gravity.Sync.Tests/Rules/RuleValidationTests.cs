using System.Text;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Tests.Rules;

/// <summary>Invalid rules fail with messages that name the file, the rule and the field.</summary>
public sealed class RuleValidationTests
{
    private const string Databases = """{"databases":{"db1":{"type":"sqlite","dbName":"views.db"}}}""";

    private static GravityRulesException Fails(string rulesJson, string databasesJson = Databases)
    {
        var builder = new GravityRuleSetBuilder()
            .AddDatabasesJson("databases.json", Encoding.UTF8.GetBytes(databasesJson))
            .AddRulesJson("rules.json", Encoding.UTF8.GetBytes(rulesJson));
        return Assert.Throws<GravityRulesException>(() => builder.Build());
    }

    [Theory]
    [InlineData(
        """{"rules":[{"event":"userCreated","table":"users","method":"updatee","database":"db1","mapping":[{"source":"id","target":"id","primary":true}]}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"method\": \"updatee\" is not one of insert, update (upsert), delete, truncate.")]
    [InlineData(
        """{"rules":[{"event":"userCreated","tabel":"users","database":"db1"}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"tabel\" is not known here (known fields: event, table, collection, method, mapping, primaryKey, database, exporter).")]
    [InlineData(
        """{"rules":[{"table":"users","database":"db1"}]}""",
        "rules.json: rules[0]: field \"event\" is missing.")]
    [InlineData(
        """{"rules":[{"event":"userCreated","table":"users","database":"db1","mapping":[{"source":"name","target":"col_name"}]}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"mapping\": no entry has \"primary\": true, so the rows of table \"users\" have no key (method upsert needs one).")]
    [InlineData(
        """{"rules":[{"event":"userCreated","table":"users","database":"db9","mapping":[{"source":"id","target":"id","primary":true}]}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"database\": \"db9\" is not defined in databases.json (defined: db1).")]
    [InlineData(
        """{"rules":[{"event":"userCreated","table":"users","database":"db1","mapping":{"source":"id"}}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"mapping\" must be an array of {\"source\",\"target\"} objects, but it is an object.")]
    [InlineData(
        """{"rules":[{"event":"userCreated","table":"users","database":"db1","mapping":[{"source":"id","target":"id","primary":"yes"}]}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"mapping[0].primary\" must be true or false, but it is a string.")]
    [InlineData(
        """{"rules":[{"event":"userCreated","table":"users","database":"db1","mapping":[{"source":"id","target":"id","primary":true,"type":"uuid"}]}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"mapping[0].type\": \"uuid\" is not one of string, integer, number, decimal, boolean, timestamp, json.")]
    [InlineData(
        """{"rules":[{"event":"userCreated","table":"users; drop table x","database":"db1","mapping":[{"source":"id","target":"id","primary":true}]}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"table\": \"users; drop table x\" is not a valid table name (letters, digits and _, starting with a letter or _, at most 63 characters).")]
    [InlineData(
        """{"rules":[{"event":"userCreated","table":"users","database":"db1","mapping":[{"source":"id","target":"id","primary":true},{"source":"x","target":"id"}]}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"mapping[1].target\": column \"id\" is mapped twice.")]
    [InlineData(
        """{"rules":[{"event":"userCreated","exporter":["e1"]}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"exporter\" needs a \"database\": exporters announce events applied to a database.")]
    [InlineData(
        """{"rules":[{"event":"userCreated","method":"delete","database":"db1"}]}""",
        "rules.json: rules[0] (event \"userCreated\"): field \"method\" needs a \"table\" to apply to.")]
    public void A_bad_rule_is_named_with_its_field(string rules, string expected)
    {
        Assert.Contains(expected, Fails(rules).Errors);
    }

    [Fact]
    public void Invalid_json_gives_the_line_and_position()
    {
        var error = Assert.Single(Fails("{\"rules\":[\n  {\"event\":\"a\",}\n  oops]}").Errors);

        Assert.StartsWith("rules.json: not valid JSON at line 3, position 3:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_without_a_rules_array_says_what_is_expected()
    {
        var error = Assert.Single(Fails("""{"rule":[]}""").Errors);

        Assert.Equal("rules.json: expected an object with a \"rules\" array, like {\"rules\":[{\"event\":\"userCreated\",\"table\":\"users\",...}]}.", error);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var ex = Fails(
            """{"rules":[{"event":"a","table":"t","method":"nope","database":"db1","mapping":[{"source":"id","target":"id","primary":true}]},{"event":"b","table":"t2","database":"x","mapping":[{"source":"id","target":"id","primary":true}]}]}""",
            """{"databases":{"db1":{"type":"oracle","port":"5432"}}}""");

        Assert.Equal(4, ex.Errors.Count);
        Assert.Contains("databases.json: databases.db1: field \"port\" must be an integer, but it is a string.", ex.Errors);
        Assert.Contains("databases.json: databases.db1: field \"type\": \"oracle\" is not one of postgres, mysql, sqlite.", ex.Errors);
        Assert.StartsWith("The Gravity rules are invalid (4 problems):", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rules_sharing_a_table_must_share_its_key()
    {
        var ex = Fails("""
            {"rules":[
              {"event":"a","table":"t","database":"db1","mapping":[{"source":"id","target":"id","primary":true}]},
              {"event":"b","table":"t","database":"db1","mapping":[{"source":"id","target":"id"},{"source":"k","target":"k","primary":true}]}
            ]}
            """);

        Assert.Equal("rules.json: rules[1] (event \"b\", table \"t\", database \"db1\"): the key (k) differs from the key (id) of rules.json: rules[0] for the same table.", Assert.Single(ex.Errors));
    }

    [Fact]
    public void Composite_keys_pass_through_and_the_original_primaryKey_field_are_accepted()
    {
        var set = new GravityRuleSetBuilder()
            .AddDatabasesJson("databases.json", Encoding.UTF8.GetBytes(Databases))
            .AddRulesJson("rules.json", Encoding.UTF8.GetBytes("""
                {"rules":[
                  {"event":"orderLine","table":"lines","database":"db1","mapping":[{"source":"order","target":"order_id","primary":true},{"source":"line","target":"line_no","primary":true,"type":"integer"},{"source":"qty","target":"qty","type":"integer"}]},
                  {"event":"userCreated","collection":"users","method":"update","primaryKey":"id","database":"db1"},
                  {"event":"userDeleted","collection":"users","method":"delete","primaryKey":"id","database":"db1","mapping":[{"source":"id","target":"id"}]}
                ]}
                """))
            .Build();

        Assert.Equal(["order_id", "line_no"], set.Rules[0].KeyColumns);
        Assert.Equal(ColumnType.Integer, set.Rules[0].Mapping[1].Type);
        Assert.True(set.Rules[1].IsPassThrough);
        Assert.Equal(["id"], set.Rules[1].KeyColumns);
        Assert.Equal(ProjectionMethod.Delete, set.Rules[2].Method);
        Assert.Equal(["id"], set.Rules[2].KeyColumns);
        Assert.Equal(2, set.RulesFor("orderLine").Count + set.RulesFor("userCreated").Count);
        Assert.Empty(set.RulesFor("unknown"));
    }
}
