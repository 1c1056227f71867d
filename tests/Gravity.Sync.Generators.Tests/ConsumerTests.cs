using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gravity.Sync.Events;
using Gravity.Sync.Generators.Tests.Consumer;
using Gravity.Sync.Rules;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Generators.Tests;

/// <summary>
/// The generator as an app meets it: it ran as a compiler extension while this project was built (see the .csproj),
/// so AddGeneratedProjections() and ToGravityEvent() below are generated from Consumer/ConsumerEvents.cs.
/// </summary>
public sealed class ConsumerTests
{
    // The issue's [Projection] example written as the seed's rules.json (with the types the attributes imply).
    private const string UserCreatedRulesJson = """
        {"rules":[
          {"event":"userCreated","table":"users","method":"update","database":["db1","db2"],"exporter":["synced"],
           "mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},
                      {"source":"name","target":"col_name","type":"string"},
                      {"source":"email","target":"col_email","type":"string"}]}
        ]}
        """;

    [Fact]
    public void Attribute_rules_and_the_equivalent_rules_json_resolve_to_the_same_rule_model()
    {
        GravityRuleSet fromAttributes = Builder().AddGeneratedProjections().Build();
        GravityRuleSet fromJson = Builder().AddRulesJson("rules.json", Encoding.UTF8.GetBytes(UserCreatedRulesJson)).Build();

        Assert.Equal(Describe(fromJson.RulesFor("userCreated")), Describe(fromAttributes.RulesFor("userCreated")));
        Assert.Equal(2, fromAttributes.RulesFor("userCreated").Count); // one per database
    }

    [Fact]
    public void Every_projection_of_the_assembly_is_declared_once_in_type_order()
    {
        Assert.Equal(
            [
                "meterRead -> readings (Upsert)",
                "orderPlaced -> orders (Upsert)",
                "orderPlaced -> order_lines (Insert)",
                "userCreated -> users (Upsert)",
                "userRemoved -> users (Delete)",
            ],
            GeneratedProjections.Declarations.Select(d => $"{d.Event} -> {d.Table} ({d.Method})"));

        // Per-table columns, the camel-case and [JsonPropertyName] payload names, the left-out property.
        RuleDeclaration orders = GeneratedProjections.Declarations.Single(d => d.Table == "orders");
        Assert.Equal(
            ["region->region key String", "number->number key Integer", "total->total Decimal", "placed_at->placed_at Timestamp", "state->state Integer", "coupon->coupon String", "paid->paid Boolean"],
            orders.Mapping!.Select(Describe));
        RuleDeclaration lines = GeneratedProjections.Declarations.Single(d => d.Table == "order_lines");
        Assert.Contains("lines->lines Json", lines.Mapping!.Select(Describe));
        Assert.DoesNotContain(lines.Mapping!, m => m.Source == "total");

        // A delete maps its key only, whatever else the event carries.
        RuleDeclaration removed = GeneratedProjections.Declarations.Single(d => d.Event == "userRemoved");
        Assert.Equal(["id->id key Integer"], removed.Mapping!.Select(Describe));
    }

    [Fact]
    public void Rule_origins_name_the_file_the_line_and_the_type()
    {
        RuleDeclaration users = GeneratedProjections.Declarations.Single(d => d.Event == "userCreated");

        Assert.Equal("ConsumerEvents.cs(8): [Projection] on Gravity.Sync.Generators.Tests.Consumer.UserCreated", users.Origin.ToString());
        Assert.Equal("Gravity.Sync.Generators.Tests.Consumer.UserCreated", users.Origin.DeclaringType);
    }

    [Fact]
    public void AddGeneratedProjections_twice_adds_the_rules_once()
    {
        GravityRuleSet rules = Builder().AddGeneratedProjections().Build();

        var services = new ServiceCollection();
        services.AddGravitySync().AddGeneratedProjections().AddGeneratedProjections();

        Assert.Single(services, d => d.ImplementationInstance?.GetType().Name == "RuleDeclarationRegistration");
        Assert.Equal(6, rules.Rules.Count);
    }

    [Fact]
    public void ToGravityEvent_writes_what_a_camel_case_JsonSerializer_writes_and_keys_by_the_Key_property()
    {
        var user = new UserCreated(1, "Fred Chien", "fred@brobridge.com");

        GravityEventData e = user.ToGravityEvent();

        Assert.Equal("userCreated", e.Name);
        Assert.Equal("1", e.Key);
        Assert.Equal("""{"id":1,"name":"Fred Chien","email":"fred@brobridge.com"}""", Encoding.UTF8.GetString(e.Payload.Span));
        Assert.Equal(JsonSerializer.Serialize(user, JsonSerializerOptions.Web), Encoding.UTF8.GetString(e.Payload.Span));
        Assert.Equal("evt-1", user.ToGravityEvent("evt-1").Id);
        Assert.NotEqual(e.Id, user.ToGravityEvent().Id);
    }

    [Fact]
    public void ToGravityEvent_writes_every_field_kind_and_a_composite_key_as_a_JSON_array()
    {
        var order = new OrderPlaced("eu", 42, 99.5, JsonNode.Parse("[1,2]"), new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero), OrderState.Paid, null, true, ["vip"]);

        GravityEventData e = order.ToGravityEvent();

        Assert.Equal(
            """{"region":"eu","number":42,"total":99.5,"lines":[1,2],"placed_at":"2024-01-02T03:04:05+00:00","state":1,"coupon":null,"paid":true}""",
            Encoding.UTF8.GetString(e.Payload.Span));
        Assert.Equal("""["eu",42]""", e.Key);
    }

    [Fact]
    public void ToGravityEvent_of_a_struct_writes_nulls_for_missing_values()
    {
        var meter = Guid.Parse("0b8a6a4e-5f6c-4a43-9c64-5b8f1b8f7d11");
        var read = new MeterRead(meter, new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc), null, default, 'k', ulong.MaxValue, 7);

        GravityEventData e = read.ToGravityEvent();

        Assert.Equal(
            """{"meter":"0b8a6a4e-5f6c-4a43-9c64-5b8f1b8f7d11","at":"2024-05-06T07:08:09Z","value":null,"raw":null,"unit":"k","counter":18446744073709551615,"code":7}""",
            Encoding.UTF8.GetString(e.Payload.Span));
        Assert.Equal("""["0b8a6a4e-5f6c-4a43-9c64-5b8f1b8f7d11","2024-05-06T07:08:09Z"]""", e.Key);
        Assert.Contains(GeneratedProjections.Declarations.Single(d => d.Event == "meterRead").Mapping!, m => m.Source == "code" && m.Type == ColumnType.String);
    }

    private static GravityRuleSetBuilder Builder() => new GravityRuleSetBuilder()
        .AddDatabase(new DatabaseDefinition { Name = "db1", Type = DatabaseDefinition.Sqlite, DbName = "db1.db" })
        .AddDatabase(new DatabaseDefinition { Name = "db2", Type = DatabaseDefinition.Sqlite, DbName = "db2.db" })
        .AddExporter(new ExporterDefinition { Name = "synced", Type = "nats" });

    private static List<string> Describe(IReadOnlyList<ProjectionRule> rules) =>
        [.. rules.Select(r => $"{r.Event} {r.Table} {r.Method} {r.Database} keys={string.Join(",", r.KeyColumns)}<-{string.Join(",", r.KeySources)} exporters={string.Join(",", r.Exporters)} mapping={string.Join("; ", r.Mapping.Select(Describe))}")];

    private static string Describe(ColumnMapping m) => $"{m.Source}->{m.Target}{(m.Primary ? " key" : string.Empty)} {m.Type}";
}
