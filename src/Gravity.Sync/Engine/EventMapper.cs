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
    private readonly Dictionary<string, (CompiledRule[] Rules, SinglePassMapping? SinglePass)> _rules;

    /// <summary>Initializes a new instance of the <see cref="EventMapper"/> class.</summary>
    /// <param name="rules">The database's rules.</param>
    /// <param name="singlePass">Whether events whose rules name their fields are mapped in one pass over the payload (<see cref="SinglePassMapping"/>); tests turn it off to compare the two paths.</param>
    public EventMapper(IEnumerable<CompiledRule> rules, bool singlePass = true)
    {
        Rules = [.. rules];
        _rules = Rules.GroupBy(r => r.Rule.Event, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (g.ToArray(), singlePass ? SinglePassMapping.TryCreate([.. g]) : null),
            StringComparer.Ordinal);
        HasExporters = _rules.Values.Any(e => e.Rules.Any(r => r.Rule.Exporters.Count > 0));
    }

    /// <summary>Gets a value indicating whether any rule names an exporter; without one no applied change is queued for export.</summary>
    public bool HasExporters { get; }

    /// <summary>Gets the database's rules in declaration order.</summary>
    public IReadOnlyList<CompiledRule> Rules { get; }

    public bool Matches(string eventName) => _rules.ContainsKey(eventName);

    public IReadOnlyList<MappedOp> Map(GravityEvent gravityEvent)
    {
        if (!_rules.TryGetValue(gravityEvent.Name, out var entry))
        {
            return [];
        }

        if (entry.SinglePass is { } singlePass && singlePass.TryMap(gravityEvent, out var mapped))
        {
            return mapped;
        }

        var rules = entry.Rules;
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
        string? error = null;
        for (var i = 0; i < rule.Keys.Count; i++)
        {
            var (source, column) = rule.Keys[i];
            if (!payload.TryGetProperty(source, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return DeadLetter(e, rule, index, $"key field \"{source}\" is missing or null");
            }

            if (!ValueConverter.TryConvert(element, column.Type, out keyValues[i]))
            {
                error ??= WrongType(source, element, column);
            }
        }

        if (error is not null)
        {
            var raw = KeyText.FromRaw(rule.Keys.Select(k => payload.GetProperty(k.Source)));
            return new MappedOp { Event = e, Rule = rule, OpIndex = index, Key = raw, Error = error };
        }

        var key = KeyText.From(keyValues);

        // Most events carry every mapped field: their changes share the rule's column list and shape, built once.
        List<ColumnSchema>? partial = null;
        var values = new List<object?>(rule.FullColumns.Count);
        values.AddRange(keyValues);
        if (rule.Kind != RowChangeKind.Delete)
        {
            if (rule.Rule.IsPassThrough)
            {
                partial = [.. rule.KeyColumnSchemas];
                error = PassThrough(payload, rule, partial, values);
            }
            else
            {
                error = Mapped(payload, rule, ref partial, values);
            }

            if (error is not null)
            {
                return new MappedOp { Event = e, Rule = rule, OpIndex = index, Key = key, Error = error };
            }
        }

        var change = new RowChange
        {
            Table = rule.Table,
            Kind = rule.Kind,
            Position = e.Position,
            Columns = partial ?? rule.FullColumns,
            Values = values,
            Shape = partial is null ? rule.FullShape : CompiledRule.Shape(rule.Table, rule.Kind, partial),
        };
        return new MappedOp { Event = e, Rule = rule, OpIndex = index, Key = key, Change = change };
    }

    /// <summary>Adds the mapped fields' values; <paramref name="partial"/> becomes the column list once a field is absent.</summary>
    private static string? Mapped(JsonElement payload, CompiledRule rule, ref List<ColumnSchema>? partial, List<object?> values)
    {
        for (var i = 0; i < rule.Values.Count; i++)
        {
            var (source, column) = rule.Values[i];

            // An absent field leaves the column as it is (the original Gravity skipped absent keys); null writes NULL.
            if (!payload.TryGetProperty(source, out var element))
            {
                partial ??= [.. rule.FullColumns.Take(rule.KeyColumnSchemas.Count + i)];
                continue;
            }

            if (!ValueConverter.TryConvert(element, column.Type, out var value))
            {
                return WrongType(source, element, column);
            }

            partial?.Add(column);
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
