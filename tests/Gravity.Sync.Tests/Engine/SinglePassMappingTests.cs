using System.Buffers;
using System.Text;
using System.Text.Json;
using Gravity.Sync.Engine;
using Gravity.Sync.Events;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;

namespace Gravity.Sync.Tests.Engine;

/// <summary>
/// The single-pass mapping must be invisible: for every payload it maps exactly what the document path maps (same key,
/// columns, values, shape and error), whether it maps the event itself or gives up and leaves it to that path.
/// </summary>
public sealed class SinglePassMappingTests
{
    private static readonly TableSchema Users = new("users",
    [
        new ColumnSchema("id", ColumnType.Integer, "INTEGER", true),
        new ColumnSchema("col_name", ColumnType.String, "TEXT", false),
        new ColumnSchema("col_email", ColumnType.String, "TEXT", false),
        new ColumnSchema("income", ColumnType.Decimal, "DECIMAL", false),
        new ColumnSchema("joined", ColumnType.Timestamp, "TIMESTAMP", false),
        new ColumnSchema("score", ColumnType.Number, "REAL", false),
        new ColumnSchema("active", ColumnType.Boolean, "BOOLEAN", false),
        new ColumnSchema("doc", ColumnType.Json, "JSON", false),
        new ColumnSchema("visits", ColumnType.Integer, "INTEGER", false),
    ]);

    private const string Rules = """
        {"rules":[
          {"event":"userCreated","table":"users","method":"update","database":"db",
           "mapping":[{"source":"id","target":"id","primary":true},{"source":"name","target":"col_name"},{"source":"email","target":"col_email"},
                      {"source":"income","target":"income"},{"source":"joined","target":"joined"},{"source":"score","target":"score"},
                      {"source":"active","target":"active"},{"source":"doc","target":"doc"},{"source":"visits","target":"visits"}]},
          {"event":"userCreated","table":"users","method":"insert","database":"db",
           "mapping":[{"source":"id","target":"id","primary":true},{"source":"email","target":"col_name"}]},
          {"event":"userDeleted","table":"users","method":"delete","database":"db","mapping":[{"source":"id","target":"id","primary":true}]}
        ]}
        """;

    public static TheoryData<string, string> Payloads => new()
    {
        { "userCreated", """{"id":1,"name":"Fred Chien","email":"fred@brobridge.com","income":"1234.50","joined":"2024-05-01T08:00:00+08:00","score":1.5,"active":true,"doc":{"a":[1,{"b":null}]},"visits":3,"extra":[1,2,{"x":"y"}]}""" },
        { "userCreated", """{"id":"42","email":null}""" },
        { "userCreated", """{"name":"a","id":7}""" },
        { "userCreated", """{"id":7,"visits":7.0,"score":"2.5e3","active":"True","income":12,"doc":"text"}""" },
        { "userCreated", """{"id":7,"visits":"-12","active":1,"doc":12.50,"name":true}""" },
        { "userCreated", """{"id":7,"active":0,"doc":[],"name":{"n":1},"email":[1, 2]}""" },
        { "userCreated", """{"id":7,"name":"caf\u00e9 \"quoted\" \\ tab\t","email":"emoji 😀 日本"}""" },
        { "userCreated", """{"i\u0064":8,"na\u006De":"escaped name"}""" },
        { "userCreated", """  {  "id" : 9 , "name" : "spaced"  }  """ },
        { "userCreated", """{"id":1,"id":2}""" },
        { "userCreated", """{"id":1,"name":"a","name":"b"}""" },
        { "userCreated", """{"id":1,"visits":1.5}""" },
        { "userCreated", """{"id":1,"visits":"ten"}""" },
        { "userCreated", """{"id":1,"score":"NaN"}""" },
        { "userCreated", """{"id":1,"active":2}""" },
        { "userCreated", """{"id":1,"joined":12345}""" },
        { "userCreated", """{"id":1,"income":"lots"}""" },
        { "userCreated", """{"id":1.5}""" },
        { "userCreated", """{"id":{"a":1}}""" },
        { "userCreated", """{"id":null}""" },
        { "userCreated", """{"name":"no key"}""" },
        { "userCreated", """{"id":1,""" },
        { "userCreated", """{"id":1} trailing""" },
        { "userCreated", """{"id":1}{"id":2}""" },
        { "userCreated", """[1,2]""" },
        { "userCreated", "\"text\"" },
        { "userCreated", "" },
        { "userCreated", """{"id":99999999999999999999}""" },
        { "userCreated", """{"id":-9223372036854775808,"visits":1e2}""" },
        { "userCreated", """{"id":1,"score":1e400}""" },
        { "userDeleted", """{"id":5,"name":"ignored"}""" },
        { "userDeleted", """{"id":"x"}""" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public void Maps_every_payload_exactly_as_the_document_path(string name, string payload)
    {
        var e = new GravityEvent { Id = "e1", Name = name, Payload = Encoding.UTF8.GetBytes(payload), Position = 11 };

        var fast = Mapper(singlePass: true).Map(e);
        var document = Mapper(singlePass: false).Map(e);

        Assert.Equal(document.Count, fast.Count);
        for (var i = 0; i < fast.Count; i++)
        {
            Assert.Equal(document[i].OpIndex, fast[i].OpIndex);
            Assert.Equal(document[i].Key, fast[i].Key);
            Assert.Equal(document[i].Error, fast[i].Error);
            Assert.Equal(document[i].Change is null, fast[i].Change is null);
            if (fast[i].Change is { } change)
            {
                Assert.Equal(document[i].Change!.Kind, change.Kind);
                Assert.Equal(document[i].Change!.Position, change.Position);
                Assert.Equal(document[i].Change!.Shape, change.Shape);
                Assert.Equal(document[i].Change!.Columns, change.Columns);
                Assert.Equal(document[i].Change!.Values, change.Values);
            }
        }
    }

    [Theory]
    [InlineData("""{"id":1,"name":"n","extra":{"deep":[1,2]}}""", true)]
    [InlineData("""{"id":"42","email":null}""", true)]
    [InlineData("""{"i\u0064":8}""", true)]
    [InlineData("""{"id":1,"id":2}""", false)]
    [InlineData("""{"id":1,"visits":"ten"}""", false)]
    [InlineData("""{"name":"no key"}""", false)]
    [InlineData("""{"id":1,""", false)]
    public void Maps_clean_payloads_itself_and_leaves_the_rest_to_the_document_path(string payload, bool mapsItself)
    {
        var rules = Compiled().Where(r => r.Rule.Event == "userCreated").ToArray();
        var mapping = SinglePassMapping.TryCreate(rules)!;

        var mapped = mapping.TryMap(new GravityEvent { Id = "e1", Name = "userCreated", Payload = Encoding.UTF8.GetBytes(payload), Position = 3 }, out var ops);

        Assert.Equal(mapsItself, mapped);
        Assert.Equal(mapsItself ? 2 : 0, ops.Length);
    }

    [Fact]
    public void Pass_through_rules_need_the_whole_document()
    {
        var set = new GravityRuleSetBuilder()
            .AddDatabase(new DatabaseDefinition { Name = "db", Type = DatabaseDefinition.Sqlite, DbName = "x.db" })
            .AddRulesJson("rules.json", """{"rules":[{"event":"userCreated","table":"users","primaryKey":"id","database":"db"}]}"""u8.ToArray())
            .Build();

        Assert.Null(SinglePassMapping.TryCreate([.. set.Rules.Select(r => new CompiledRule(r, Users))]));
    }

    [Fact]
    public void One_part_keys_read_exactly_as_the_json_writer_writes_them()
    {
        var texts = Enumerable.Range(0, 160).Select(c => $"a{(char)c}b").Append(string.Empty).Append("user-00000001").Append("日本");
        foreach (var text in texts)
        {
            Assert.Equal(Written(text), KeyText.From([text]));
        }

        foreach (var number in new[] { 0L, -1L, 42L, long.MinValue, long.MaxValue })
        {
            Assert.Equal(Written(number), KeyText.From([number]));
        }
    }

    private static EventMapper Mapper(bool singlePass) => new(Compiled(), singlePass);

    private static List<CompiledRule> Compiled()
    {
        var set = new GravityRuleSetBuilder()
            .AddDatabase(new DatabaseDefinition { Name = "db", Type = DatabaseDefinition.Sqlite, DbName = "x.db" })
            .AddRulesJson("rules.json", Encoding.UTF8.GetBytes(Rules))
            .Build();
        return [.. set.Rules.Select(r => new CompiledRule(r, Users))];
    }

    private static string Written(object value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            if (value is string s)
            {
                writer.WriteStringValue(s);
            }
            else
            {
                writer.WriteNumberValue((long)value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
