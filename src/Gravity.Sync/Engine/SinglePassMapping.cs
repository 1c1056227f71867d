using System.Text;
using System.Text.Json;
using Gravity.Sync.Events;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;

namespace Gravity.Sync.Engine;

/// <summary>
/// The fast way to map an event whose rules all name their fields: one forward pass of a <see cref="Utf8JsonReader"/>
/// over the payload notes where each mapped field's value is, and only those values are converted. No
/// <see cref="JsonDocument"/> is built and no property is searched for by name. It handles the clean case only: a
/// payload it cannot map exactly as <see cref="EventMapper"/>'s document path would (malformed JSON, a missing or null
/// key, a value of the wrong type, a mapped field given twice) makes it give up, and that path maps the event instead,
/// so every error reads as before.
/// </summary>
internal sealed class SinglePassMapping
{
    // More fields than this and the per-event capture table would not fit comfortably on the stack.
    private const int MaxFields = 64;

    private readonly CompiledRule[] _rules;
    private readonly byte[][] _names;
    private readonly int[][] _keyFields;
    private readonly int[][] _valueFields;

    private SinglePassMapping(CompiledRule[] rules, byte[][] names, int[][] keyFields, int[][] valueFields)
    {
        _rules = rules;
        _names = names;
        _keyFields = keyFields;
        _valueFields = valueFields;
    }

    /// <summary>Plans the single pass for the rules of one event name, or returns <see langword="null"/> when a rule needs the whole document (pass-through).</summary>
    public static SinglePassMapping? TryCreate(CompiledRule[] rules)
    {
        if (rules.Any(r => r.Rule.IsPassThrough && r.Rule.Method != ProjectionMethod.Truncate))
        {
            return null;
        }

        var names = new List<string>();
        int Field(string source)
        {
            var i = names.IndexOf(source);
            if (i < 0)
            {
                names.Add(source);
                i = names.Count - 1;
            }

            return i;
        }

        var keyFields = rules.Select(r => r.Keys.Select(k => Field(k.Source)).ToArray()).ToArray();
        var valueFields = rules.Select(r => r.Values.Select(v => Field(v.Source)).ToArray()).ToArray();
        return names.Count > MaxFields ? null : new SinglePassMapping(rules, [.. names.Select(Encoding.UTF8.GetBytes)], keyFields, valueFields);
    }

    /// <summary>Maps the event, or returns <see langword="false"/> when the document path must (see the class remarks).</summary>
    public bool TryMap(GravityEvent e, out MappedOp[] ops)
    {
        ops = [];
        Span<FieldToken> fields = stackalloc FieldToken[_names.Length];
        fields.Clear();
        var payload = e.Payload.Span;
        try
        {
            if (!Scan(payload, fields))
            {
                return false;
            }
        }
        catch (JsonException)
        {
            return false; // malformed: the document path words the dead letter
        }

        var result = new MappedOp[_rules.Length];
        for (var i = 0; i < _rules.Length; i++)
        {
            if (MapOne(e, _rules[i], i, _keyFields[i], _valueFields[i], payload, fields) is not { } op)
            {
                return false;
            }

            result[i] = op;
        }

        ops = result;
        return true;
    }

    /// <summary>Reads the whole payload (so malformed JSON anywhere is noticed) and notes where each mapped field's value is.</summary>
    private bool Scan(ReadOnlySpan<byte> payload, Span<FieldToken> fields)
    {
        var reader = new Utf8JsonReader(payload);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Find(ref reader);
            reader.Read();
            var type = reader.TokenType;
            var start = (int)reader.TokenStartIndex;
            int length;
            switch (type)
            {
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    reader.Skip();
                    length = (int)reader.BytesConsumed - start;
                    break;
                case JsonTokenType.String:
                    length = reader.ValueSpan.Length + 2; // the raw (still escaped) text between the quotes, and the quotes
                    break;
                default:
                    length = reader.ValueSpan.Length;
                    break;
            }

            if (field < 0)
            {
                continue;
            }

            if (fields[field].Type != JsonTokenType.None)
            {
                return false; // a mapped field given twice: the document path decides which one counts
            }

            fields[field] = new FieldToken(type, start, length);
        }

        // The root object is closed; anything after it would make the reader throw, which the caller turns into "give up".
        return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
    }

    private int Find(ref Utf8JsonReader reader)
    {
        var names = _names;
        if (!reader.ValueIsEscaped)
        {
            var name = reader.ValueSpan;
            for (var i = 0; i < names.Length; i++)
            {
                if (name.SequenceEqual(names[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        for (var i = 0; i < names.Length; i++)
        {
            if (reader.ValueTextEquals(names[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static MappedOp? MapOne(GravityEvent e, CompiledRule rule, int index, int[] keyFields, int[] valueFields, ReadOnlySpan<byte> payload, ReadOnlySpan<FieldToken> fields)
    {
        if (rule.Rule.Method == ProjectionMethod.Truncate)
        {
            return new MappedOp { Event = e, Rule = rule, OpIndex = index };
        }

        var keyCount = keyFields.Length;
        var full = rule.FullColumns.Count;
        var values = new object?[full];
        for (var i = 0; i < keyCount; i++)
        {
            var token = fields[keyFields[i]];
            if (token.Type is JsonTokenType.None or JsonTokenType.Null || !ValueConverter.TryConvert(token.Slice(payload), token.Type, rule.Keys[i].Column.Type, out values[i]))
            {
                return null; // a dead letter or a parked key: the document path words the reason
            }
        }

        var key = KeyText.From(values.AsSpan(0, keyCount));
        List<ColumnSchema>? partial = null;
        List<object?>? partialValues = null;
        if (rule.Kind != RowChangeKind.Delete)
        {
            for (var i = 0; i < valueFields.Length; i++)
            {
                var token = fields[valueFields[i]];
                var column = rule.Values[i].Column;

                // An absent field leaves the column as it is; from the first one on, the change lists its columns itself.
                if (token.Type == JsonTokenType.None)
                {
                    partial ??= [.. rule.FullColumns.Take(keyCount + i)];
                    partialValues ??= [.. values.AsSpan(0, keyCount + i)];
                    continue;
                }

                if (!ValueConverter.TryConvert(token.Slice(payload), token.Type, column.Type, out var value))
                {
                    return null;
                }

                if (partial is null)
                {
                    values[keyCount + i] = value;
                }
                else
                {
                    partial.Add(column);
                    partialValues!.Add(value);
                }
            }
        }

        var change = new RowChange
        {
            Table = rule.Table,
            Kind = rule.Kind,
            Position = e.Position,
            Columns = partial ?? rule.FullColumns,
            Values = partialValues ?? (IReadOnlyList<object?>)values,
            Shape = partial is null ? rule.FullShape : CompiledRule.Shape(rule.Table, rule.Kind, partial),
        };
        return new MappedOp { Event = e, Rule = rule, OpIndex = index, Key = key, Change = change };
    }

    /// <summary>Where a field's value is in the payload: its token type and raw text (quotes included for a string, the whole of an object or array).</summary>
    private readonly record struct FieldToken(JsonTokenType Type, int Start, int Length)
    {
        public ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> payload) => payload.Slice(Start, Length);
    }
}
