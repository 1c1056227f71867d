using System.Text.Json;

namespace Gravity.Sync.Rules.Json;

/// <summary>
/// Reads exporter.json in the seed's format: <c>{"exporter":{"exporter1":{"type":"kafka","host",...}}}</c> (the
/// original Gravity's <c>"exporters"</c> root is accepted too). Settings other than <c>type</c> are kept as text for
/// the exporter of that type to interpret.
/// </summary>
internal static class ExportersFileReader
{
    public static List<ExporterDefinition> Read(string file, ReadOnlySpan<byte> utf8Json, List<string> errors)
    {
        var result = new List<ExporterDefinition>();
        using var document = JsonFileReader.Parse(file, utf8Json, errors);
        if (document is null)
        {
            return result;
        }

        var root = document.RootElement;
        JsonElement exporters = default;
        if (root.ValueKind != JsonValueKind.Object
            || !(root.TryGetProperty("exporter", out exporters) || root.TryGetProperty("exporters", out exporters))
            || exporters.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{file}: expected an object with an \"exporter\" object, like {{\"exporter\":{{\"exporter1\":{{\"type\":\"kafka\",...}}}}}}.");
            return result;
        }

        foreach (var entry in exporters.EnumerateObject())
        {
            var where = $"{file}: exporter.{entry.Name}";
            if (entry.Value.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{where}: must be an object, but it is {JsonFileReader.Kind(entry.Value)}.");
                continue;
            }

            string? type = null;
            var settings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in entry.Value.EnumerateObject())
            {
                if (property.Name == "type")
                {
                    type = JsonFileReader.String(property.Value, where, "type", errors);
                }
                else
                {
                    settings[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
                }
            }

            if (string.IsNullOrEmpty(type))
            {
                errors.Add($"{where}: field \"type\" is missing.");
                continue;
            }

            result.Add(new ExporterDefinition { Name = entry.Name, Type = type, Settings = settings, File = file });
        }

        return result;
    }
}
