using System.Globalization;
using System.Text.Json;

namespace Gravity.Sync.Rules.Json;

/// <summary>
/// Shared helpers for the seed's JSON files: parse with positions in errors, and read typed fields while recording
/// a message that names the file, the element and the field when a field has the wrong type.
/// </summary>
internal static class JsonFileReader
{
    private static readonly JsonDocumentOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static JsonDocument? Parse(string file, ReadOnlySpan<byte> utf8Json, List<string> errors)
    {
        // Editors on Windows often save UTF-8 with a byte order mark, which the JSON parser does not skip by itself.
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        try
        {
            return JsonDocument.Parse(utf8Json.ToArray(), Options);
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber is { } l ? (l + 1).ToString(CultureInfo.InvariantCulture) : "?";
            var column = ex.BytePositionInLine is { } c ? (c + 1).ToString(CultureInfo.InvariantCulture) : "?";
            errors.Add($"{file}: not valid JSON at line {line}, position {column}: {ex.Message}");
            return null;
        }
    }

    public static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    public static string? String(JsonElement element, string where, string field, List<string> errors)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return element.GetString();
        }

        errors.Add($"{where}: field \"{field}\" must be a string, but it is {Kind(element)}.");
        return null;
    }

    public static bool Boolean(JsonElement element, string where, string field, List<string> errors)
    {
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return element.GetBoolean();
        }

        errors.Add($"{where}: field \"{field}\" must be true or false, but it is {Kind(element)}.");
        return false;
    }

    public static int? Integer(JsonElement element, string where, string field, List<string> errors)
    {
        if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var value))
        {
            return value;
        }

        errors.Add($"{where}: field \"{field}\" must be an integer, but it is {(element.ValueKind == JsonValueKind.Number ? element.GetRawText() : Kind(element))}.");
        return null;
    }

    /// <summary>Reads a string or an array of strings (rules.json writes <c>"exporter"</c> as an array; one name is accepted too).</summary>
    public static IReadOnlyList<string> Names(JsonElement element, string where, string field, List<string> errors)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            return [element.GetString()!];
        }

        if (element.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{where}: field \"{field}\" must be a string or an array of strings, but it is {Kind(element)}.");
            return [];
        }

        var names = new List<string>();
        var i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(item.GetString()))
            {
                names.Add(item.GetString()!);
            }
            else
            {
                errors.Add($"{where}: field \"{field}[{i}]\" must be a non-empty string, but it is {Kind(item)}.");
            }

            i++;
        }

        return names;
    }

    public static void Unknown(string where, string field, string known, List<string> errors) =>
        errors.Add($"{where}: field \"{field}\" is not known here (known fields: {known}).");
}
