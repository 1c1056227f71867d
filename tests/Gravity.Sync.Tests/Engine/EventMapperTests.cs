using System.Text;
using Gravity.Sync.Engine;
using Gravity.Sync.Events;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;

namespace Gravity.Sync.Tests.Engine;

/// <summary>Event → row mapping, including every kind of bad input: it never throws.</summary>
public sealed class EventMapperTests
{
    private static readonly TableSchema Users = new("users",
    [
        new ColumnSchema("id", ColumnType.Integer, "INTEGER", true),
        new ColumnSchema("col_name", ColumnType.String, "TEXT", false),
        new ColumnSchema("col_email", ColumnType.String, "TEXT", false),
        new ColumnSchema("income", ColumnType.Decimal, "DECIMAL", false),
        new ColumnSchema("joined", ColumnType.Timestamp, "TIMESTAMP", false),
    ]);

    private static EventMapper Mapper(string rulesJson, TableSchema? table = null)
    {
        var set = new GravityRuleSetBuilder()
            .AddDatabase(new DatabaseDefinition { Name = "db", Type = DatabaseDefinition.Sqlite, DbName = "x.db" })
            .AddRulesJson("rules.json", Encoding.UTF8.GetBytes(rulesJson))
            .Build();
        return new EventMapper(set.Rules.Select(r => new CompiledRule(r, table ?? Users)));
    }

    private static readonly EventMapper Seed = Mapper("""
        {"rules":[{"event":"userCreated","table":"users","method":"update","database":"db",
          "mapping":[{"source":"id","target":"id","primary":true},{"source":"name","target":"col_name"},{"source":"email","target":"col_email"},
                     {"source":"income","target":"income"},{"source":"joined","target":"joined"}]},
          {"event":"userDeleted","table":"users","method":"delete","database":"db","mapping":[{"source":"id","target":"id","primary":true}]}]}
        """);

    private static GravityEvent Event(string name, string json, long position = 7) =>
        new() { Id = "e" + position, Name = name, Payload = Encoding.UTF8.GetBytes(json), Position = position };

    [Fact]
    public void Mapped_fields_become_columns_converted_to_their_types()
    {
        var op = Assert.Single(Seed.Map(Event("userCreated", """{"id":1,"name":"Fred Chien","email":"fred@brobridge.com","income":"1234.50","joined":"2024-05-01T08:00:00+08:00","extra":true}""")));

        Assert.Null(op.Error);
        Assert.Equal("[1]", op.Key);
        var change = op.Change!;
        Assert.Equal(RowChangeKind.Upsert, change.Kind);
        Assert.Equal(7, change.Position);
        Assert.Equal(["id", "col_name", "col_email", "income", "joined"], change.Columns.Select(c => c.Name));
        Assert.Equal([1L, "Fred Chien", "fred@brobridge.com", 1234.50m, new DateTimeOffset(2024, 5, 1, 0, 0, 0, TimeSpan.Zero)], change.Values);
    }

    [Fact]
    public void An_absent_field_leaves_its_column_alone_and_null_clears_it()
    {
        var op = Assert.Single(Seed.Map(Event("userCreated", """{"id":"42","email":null}""")));

        Assert.Equal("[42]", op.Key); // "42" in an integer key is the same row as 42
        Assert.Equal(["id", "col_email"], op.Change!.Columns.Select(c => c.Name));
        Assert.Equal([42L, null], op.Change.Values);
        Assert.NotEqual(Seed.Map(Event("userCreated", """{"id":1,"name":"a"}""")).Single().Change!.Shape, op.Change.Shape);
    }

    [Fact]
    public void A_delete_carries_only_the_key()
    {
        var op = Assert.Single(Seed.Map(Event("userDeleted", """{"id":5,"name":"ignored"}""")));

        Assert.Equal(RowChangeKind.Delete, op.Change!.Kind);
        Assert.Equal([5L], op.Change.Values);
    }

    [Fact]
    public void Unknown_events_map_to_nothing()
    {
        Assert.Empty(Seed.Map(Event("somethingElse", "not even json")));
        Assert.False(Seed.Matches("somethingElse"));
    }

    [Theory]
    [InlineData("{\"id\":1,", "the payload is not valid JSON")]
    [InlineData("[1,2]", "the payload is an array, not a JSON object")]
    [InlineData("\"text\"", "the payload is a string, not a JSON object")]
    [InlineData("{\"name\":\"no key\"}", "key field \"id\" is missing or null")]
    [InlineData("{\"id\":null}", "key field \"id\" is missing or null")]
    public void Input_without_a_usable_key_becomes_a_dead_letter(string payload, string reason)
    {
        var op = Assert.Single(Seed.Map(Event("userCreated", payload)));

        Assert.Null(op.Key);
        Assert.Null(op.Change);
        Assert.StartsWith(reason, op.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"id\":1,\"income\":\"lots\"}", "[1]", "field \"income\" is \"lots\", which is not a decimal number (column \"income\" is DECIMAL)")]
    [InlineData("{\"id\":1,\"joined\":12345}", "[1]", "field \"joined\" is 12345, which is not an ISO 8601 timestamp (column \"joined\" is TIMESTAMP)")]
    [InlineData("{\"id\":{\"a\":1}}", "[{\"a\":1}]", "field \"id\" is {\"a\":1}, which is not an integer (column \"id\" is INTEGER)")]
    [InlineData("{\"id\":1.5}", "[1.5]", "field \"id\" is 1.5, which is not an integer (column \"id\" is INTEGER)")]
    public void Wrong_types_keep_the_key_so_it_can_be_parked(string payload, string key, string reason)
    {
        var op = Assert.Single(Seed.Map(Event("userCreated", payload)));

        Assert.Equal(key, op.Key);
        Assert.Null(op.Change);
        Assert.Equal(reason, op.Error);
    }

    [Fact]
    public void One_event_fires_every_matching_rule()
    {
        var mapper = Mapper("""
            {"rules":[
              {"event":"userCreated","table":"users","database":"db","mapping":[{"source":"id","target":"id","primary":true},{"source":"name","target":"col_name"}]},
              {"event":"userCreated","table":"users","database":"db","method":"insert","mapping":[{"source":"id","target":"id","primary":true},{"source":"email","target":"col_email"}]}
            ]}
            """);

        var ops = mapper.Map(Event("userCreated", """{"id":3,"name":"n","email":"e"}"""));

        Assert.Equal([0, 1], ops.Select(o => o.OpIndex));
        Assert.Equal([RowChangeKind.Upsert, RowChangeKind.Insert], ops.Select(o => o.Change!.Kind));
    }

    [Fact]
    public void Composite_keys_are_canonical_json_arrays()
    {
        var lines = new TableSchema("lines",
        [
            new ColumnSchema("order_id", ColumnType.String, "TEXT", true),
            new ColumnSchema("line_no", ColumnType.Integer, "INTEGER", true),
            new ColumnSchema("qty", ColumnType.Integer, "INTEGER", false),
        ]);
        var mapper = Mapper("""{"rules":[{"event":"line","table":"lines","database":"db","mapping":[{"source":"order","target":"order_id","primary":true},{"source":"line","target":"line_no","primary":true},{"source":"qty","target":"qty"}]}]}""", lines);

        var op = Assert.Single(mapper.Map(Event("line", """{"order":"A-1","line":"2","qty":5}""")));

        Assert.Equal("[\"A-1\",2]", op.Key);
        Assert.Equal(["A-1", 2L, 5L], op.Change!.Values);
    }

    [Fact]
    public void Pass_through_writes_the_fields_that_are_columns()
    {
        var mapper = Mapper("""{"rules":[{"event":"userCreated","table":"users","primaryKey":"id","database":"db"}]}""");

        var op = Assert.Single(mapper.Map(Event("userCreated", """{"id":9,"col_name":"n","unknown":"dropped","income":3}""")));

        Assert.Equal(["id", "col_name", "income"], op.Change!.Columns.Select(c => c.Name));
        Assert.Equal([9L, "n", 3m], op.Change.Values);
    }

    [Fact]
    public void Strings_take_any_json_as_text()
    {
        var op = Assert.Single(Seed.Map(Event("userCreated", """{"id":1,"name":12.5,"email":{"a":[1]}}""")));

        Assert.Equal([1L, "12.5", "{\"a\":[1]}"], op.Change!.Values);
    }
}
