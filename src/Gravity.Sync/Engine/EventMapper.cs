using System.Text;
using System.Text.Json;
using Gravity.Sync.Events;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;

namespace Gravity.Sync.Engine;

/// <summary>
/// Maps events to row changes for one database. Mapping never throws for bad input: a malformed payload or a missing
/// key becomes a dead letter, a field of the wrong type an op with an error (its key will be parked).
/// </summary>
internal sealed class EventMapper
{
    private readonly Dictionary<string, CompiledRule[]> _rules;

    public EventMapper(IEnumerable<CompiledRule> rules)
    {
        _rules = rules.GroupBy(r => r.Rule.Event, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    public bool Matches(string eventName) => _rules.ContainsKey(eventName);

    public IReadOnlyList<MappedOp> Map(GravityEvent gravityEvent)
    {
        if (!_rules.TryGetValue(gravityEvent.Name, out var rules))
        {
            return [];
        }

        JsonDocument? document = null;
        string? malformed = null;
        try
        {
            document = JsonDocument.Parse(gravityEvent.Payload);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                malformed = $"the payload is {Kind(document.RootElement)}, not a JSON object";
            }
        }
        catch (JsonException ex)
        {
            malformed = $"the payload is not valid JSON ({ex.Message})";
        }

        try
        {
            var ops = new MappedOp[rules.Length];
            for (var i = 0; i < rules.Length; i++)
            {
                ops[i] = MapOne(gravityEvent, rules[i], i, malformed is null ? document!.RootElement : default, malformed);
            }

            return ops;
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static MappedOp MapOne(GravityEvent e, CompiledRule rule, int index, JsonElement payload, string? malformed)
    {
        if (rule.Rule.Method == ProjectionMethod.Truncate)
        {
            return new MappedOp { Event = e, Rule = rule, OpIndex = index };
        }

        if (malformed is not null)
        {
            return DeadLetter(e, rule, index, malformed);
        }

        // The key first: without it the row cannot even be parked by key.
        var keyValues = new object?[rule.Keys.Count];
        var keyElements = new JsonElement[rule.Keys.Count];
        string? error = null;
        for (var i = 0; i < rule.Keys.Count; i++)
        {
            var (source, column) = rule.Keys[i];
            if (!payload.TryGetProperty(source, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return DeadLetter(e, rule, index, $"key field \"{source}\" is missing or null");
            }

            keyElements[i] = element;
            if (!ValueConverter.TryConvert(element, column.Type, out keyValues[i]))
            {
                error ??= WrongType(source, element, column);
            }
        }

        var key = error is null ? KeyText.From(keyValues) : KeyText.FromRaw(keyElements);
        if (error is not null)
        {
            return new MappedOp { Event = e, Rule = rule, OpIndex = index, Key = key, Error = error };
        }

        var columns = new List<ColumnSchema>(rule.KeyColumnSchemas);
        var values = new List<object?>(keyValues);
        if (rule.Rule.Method != ProjectionMethod.Delete)
        {
            error = rule.Rule.IsPassThrough ? PassThrough(payload, rule, columns, values) : Mapped(payload, rule, columns, values);
            if (error is not null)
            {
                return new MappedOp { Event = e, Rule = rule, OpIndex = index, Key = key, Error = error };
            }
        }

        var kind = rule.Rule.Method switch
        {
            ProjectionMethod.Insert => RowChangeKind.Insert,
            ProjectionMethod.Delete => RowChangeKind.Delete,
            _ => RowChangeKind.Upsert,
        };
        var shape = new StringBuilder(rule.Table.Name).Append('|').Append((int)kind);
        foreach (var column in columns)
        {
            shape.Append('|').Append(column.Name);
        }

        var change = new RowChange { Table = rule.Table, Kind = kind, Position = e.Position, Columns = columns, Values = values, Shape = shape.ToString() };
        return new MappedOp { Event = e, Rule = rule, OpIndex = index, Key = key, Change = change };
    }

    private static string? Mapped(JsonElement payload, CompiledRule rule, List<ColumnSchema> columns, List<object?> values)
    {
        foreach (var (source, column) in rule.Values)
        {
            // An absent field leaves the column as it is (the original Gravity skipped absent keys); null writes NULL.
            if (!payload.TryGetProperty(source, out var element))
            {
                continue;
            }

            if (!ValueConverter.TryConvert(element, column.Type, out var value))
            {
                return WrongType(source, element, column);
            }

            columns.Add(column);
            values.Add(value);
        }

        return null;
    }

    private static string? PassThrough(JsonElement payload, CompiledRule rule, List<ColumnSchema> columns, List<object?> values)
    {
        foreach (var property in payload.EnumerateObject())
        {
            if (!rule.Table.TryGetColumn(property.Name, out var column) || column.IsKey || columns.Contains(column))
            {
                continue; // fields without a column are not part of this view
            }

            if (!ValueConverter.TryConvert(property.Value, column.Type, out var value))
            {
                return WrongType(property.Name, property.Value, column);
            }

            columns.Add(column);
            values.Add(value);
        }

        return null;
    }

    private static MappedOp DeadLetter(GravityEvent e, CompiledRule rule, int index, string reason) =>
        new() { Event = e, Rule = rule, OpIndex = index, Error = reason };

    private static string WrongType(string source, JsonElement element, ColumnSchema column) =>
        $"field \"{source}\" is {ValueConverter.Describe(element)}, which is not {ValueConverter.Article(column.Type)} (column \"{column.Name}\" is {column.DbType})";

    private static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "empty",
    };
}
