using System.Text.Json;

namespace Gravity.Sync.Rules.Json;

/// <summary>
/// Reads rules.json in the seed's format (<c>{"rules":[{"event","table","method","mapping":[{"source","target","primary"}],
/// "database","exporter"}]}</c>), plus the original Gravity's <c>collection</c> and <c>primaryKey</c> and an optional
/// <c>type</c> per mapping entry. Unknown fields are errors so a typo cannot silently change a view.
/// </summary>
internal static class RulesFileReader
{
    private const string RuleFields = "event, table, collection, method, mapping, primaryKey, database, exporter";
    private const string MappingFields = "source, target, primary, type";

    public static List<RuleDeclaration> Read(string file, ReadOnlySpan<byte> utf8Json, List<string> errors)
    {
        var rules = new List<RuleDeclaration>();
        using var document = JsonFileReader.Parse(file, utf8Json, errors);
        if (document is null)
        {
            return rules;
        }

        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("rules", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{file}: expected an object with a \"rules\" array, like {{\"rules\":[{{\"event\":\"userCreated\",\"table\":\"users\",...}}]}}.");
            return rules;
        }

        foreach (var property in root.EnumerateObject().Where(p => p.Name != "rules"))
        {
            JsonFileReader.Unknown(file, property.Name, "rules", errors);
        }

        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            var rule = ReadRule(new RuleOrigin(file, index), element, errors);
            if (rule is not null)
            {
                rules.Add(rule);
            }

            index++;
        }

        return rules;
    }

    private static RuleDeclaration? ReadRule(RuleOrigin origin, JsonElement element, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{origin}: a rule must be an object, but it is {JsonFileReader.Kind(element)}.");
            return null;
        }

        var eventName = element.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        var where = eventName is null ? origin.ToString() : $"{origin} (event \"{eventName}\")";
        string? table = null;
        ProjectionMethod? method = null;
        IReadOnlyList<ColumnMapping>? mapping = null;
        IReadOnlyList<string>? primaryKey = null;
        IReadOnlyList<string> databases = [];
        IReadOnlyList<string> exporters = [];
        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "event":
                    eventName = JsonFileReader.String(value, where, "event", errors);
                    break;
                case "table":
                case "collection": // the original Gravity's later name for the same thing
                    table = JsonFileReader.String(value, where, property.Name, errors);
                    break;
                case "method":
                    method = ReadMethod(value, where, errors);
                    break;
                case "mapping":
                    mapping = ReadMapping(value, where, errors);
                    break;
                case "primaryKey":
                    primaryKey = JsonFileReader.Names(value, where, "primaryKey", errors);
                    break;
                case "database":
                    databases = JsonFileReader.Names(value, where, "database", errors);
                    break;
                case "exporter":
                    exporters = JsonFileReader.Names(value, where, "exporter", errors);
                    break;
                default:
                    JsonFileReader.Unknown(where, property.Name, RuleFields, errors);
                    break;
            }
        }

        if (eventName is null)
        {
            errors.Add($"{origin}: field \"event\" is missing.");
            return null;
        }

        return new RuleDeclaration
        {
            Event = eventName,
            Table = table,
            Method = method,
            Mapping = mapping,
            PrimaryKey = primaryKey,
            Databases = databases,
            Exporters = exporters,
            Origin = origin,
        };
    }

    private static ProjectionMethod? ReadMethod(JsonElement value, string where, List<string> errors)
    {
        var text = JsonFileReader.String(value, where, "method", errors);
        switch (text?.ToLowerInvariant())
        {
            case null:
                return null;
            case "insert":
                return ProjectionMethod.Insert;
            case "update" or "upsert":
                return ProjectionMethod.Upsert;
            case "delete":
                return ProjectionMethod.Delete;
            case "truncate":
                return ProjectionMethod.Truncate;
            default:
                errors.Add($"{where}: field \"method\": \"{text}\" is not one of insert, update (upsert), delete, truncate.");
                return null;
        }
    }

    private static List<ColumnMapping> ReadMapping(JsonElement value, string where, List<string> errors)
    {
        var mapping = new List<ColumnMapping>();
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{where}: field \"mapping\" must be an array of {{\"source\",\"target\"}} objects, but it is {JsonFileReader.Kind(value)}.");
            return mapping;
        }

        var i = 0;
        foreach (var entry in value.EnumerateArray())
        {
            var field = $"mapping[{i++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{where}: field \"{field}\" must be an object like {{\"source\":\"id\",\"target\":\"id\"}}, but it is {JsonFileReader.Kind(entry)}.");
                continue;
            }

            string? source = null, target = null;
            var primary = false;
            ColumnType? type = null;
            foreach (var property in entry.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "source":
                        source = JsonFileReader.String(property.Value, where, field + ".source", errors);
                        break;
                    case "target":
                        target = JsonFileReader.String(property.Value, where, field + ".target", errors);
                        break;
                    case "primary":
                        primary = JsonFileReader.Boolean(property.Value, where, field + ".primary", errors);
                        break;
                    case "type":
                        type = ReadType(property.Value, where, field + ".type", errors);
                        break;
                    default:
                        JsonFileReader.Unknown(where, field + "." + property.Name, MappingFields, errors);
                        break;
                }
            }

            if (source is null)
            {
                errors.Add($"{where}: field \"{field}.source\" is missing.");
                continue;
            }

            // The original Gravity copied a field to a column of the same name when no target was given.
            mapping.Add(new ColumnMapping(source, target ?? source, primary, type));
        }

        return mapping;
    }

    private static ColumnType? ReadType(JsonElement value, string where, string field, List<string> errors)
    {
        var text = JsonFileReader.String(value, where, field, errors);
        if (text is null)
        {
            return null;
        }

        if (Enum.TryParse<ColumnType>(text, ignoreCase: true, out var type) && !char.IsAsciiDigit(text[0]))
        {
            return type;
        }

        errors.Add($"{where}: field \"{field}\": \"{text}\" is not one of string, integer, number, decimal, boolean, timestamp, json.");
        return null;
    }
}
