using System.Globalization;
using System.Text;
using System.Text.Json;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Engine;

/// <summary>
/// Converts a payload field to a column's logical type. Conversions are strict where a silent guess would corrupt a
/// view (text into a number column, a number into a timestamp); a failure parks the row's key with the reason.
/// </summary>
internal static class ValueConverter
{
    public static bool TryConvert(JsonElement element, ColumnType type, out object? value)
    {
        value = null;
        if (element.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        switch (type)
        {
            case ColumnType.String:
                value = element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText();
                return true;
            case ColumnType.Json:
                value = element.GetRawText();
                return true;
            case ColumnType.Integer:
                if (element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var l))
                {
                    value = l;
                    return true;
                }

                if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var whole) && whole == decimal.Truncate(whole) && whole is >= long.MinValue and <= long.MaxValue)
                {
                    value = (long)whole; // 42.0 is an integer
                    return true;
                }

                if (element.ValueKind == JsonValueKind.String && long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out l))
                {
                    value = l;
                    return true;
                }

                return false;
            case ColumnType.Number:
                if (element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var d) && double.IsFinite(d))
                {
                    value = d;
                    return true;
                }

                if (element.ValueKind == JsonValueKind.String && double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d) && double.IsFinite(d))
                {
                    value = d;
                    return true;
                }

                return false;
            case ColumnType.Decimal:
                if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out var m))
                {
                    value = m;
                    return true;
                }

                if (element.ValueKind == JsonValueKind.String && decimal.TryParse(element.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out m))
                {
                    value = m;
                    return true;
                }

                return false;
            case ColumnType.Boolean:
                if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
                {
                    value = element.GetBoolean();
                    return true;
                }

                if (element.ValueKind == JsonValueKind.String && bool.TryParse(element.GetString(), out var b))
                {
                    value = b;
                    return true;
                }

                if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out var bit) && bit is 0 or 1)
                {
                    value = bit == 1;
                    return true;
                }

                return false;
            case ColumnType.Timestamp:
                if (element.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                {
                    value = t.ToUniversalTime();
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>
    /// The same conversion for a value found by <see cref="SinglePassMapping"/>: <paramref name="raw"/> is the value's raw
    /// JSON text (a string with its quotes). It returns <see langword="false"/> wherever <see cref="TryConvert(JsonElement, ColumnType, out object?)"/>
    /// would, and otherwise the same value; the caller then maps the event from a document, which words the error.
    /// </summary>
    public static bool TryConvert(ReadOnlySpan<byte> raw, JsonTokenType token, ColumnType type, out object? value)
    {
        value = null;
        if (token == JsonTokenType.Null)
        {
            return true;
        }

        var reader = new Utf8JsonReader(raw);
        reader.Read();
        switch (type)
        {
            case ColumnType.String:
                value = token == JsonTokenType.String ? reader.GetString() : Encoding.UTF8.GetString(raw);
                return true;
            case ColumnType.Json:
                value = Encoding.UTF8.GetString(raw);
                return true;
            case ColumnType.Integer:
                if (token == JsonTokenType.Number && reader.TryGetInt64(out var l))
                {
                    value = l;
                    return true;
                }

                if (token == JsonTokenType.Number && reader.TryGetDecimal(out var whole) && whole == decimal.Truncate(whole) && whole is >= long.MinValue and <= long.MaxValue)
                {
                    value = (long)whole;
                    return true;
                }

                if (token == JsonTokenType.String && long.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out l))
                {
                    value = l;
                    return true;
                }

                return false;
            case ColumnType.Number:
                if (token == JsonTokenType.Number && reader.TryGetDouble(out var d) && double.IsFinite(d))
                {
                    value = d;
                    return true;
                }

                if (token == JsonTokenType.String && double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d) && double.IsFinite(d))
                {
                    value = d;
                    return true;
                }

                return false;
            case ColumnType.Decimal:
                if (token == JsonTokenType.Number && reader.TryGetDecimal(out var m))
                {
                    value = m;
                    return true;
                }

                if (token == JsonTokenType.String && decimal.TryParse(reader.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out m))
                {
                    value = m;
                    return true;
                }

                return false;
            case ColumnType.Boolean:
                if (token is JsonTokenType.True or JsonTokenType.False)
                {
                    value = token == JsonTokenType.True;
                    return true;
                }

                if (token == JsonTokenType.String && bool.TryParse(reader.GetString(), out var b))
                {
                    value = b;
                    return true;
                }

                if (token == JsonTokenType.Number && reader.TryGetInt32(out var bit) && bit is 0 or 1)
                {
                    value = bit == 1;
                    return true;
                }

                return false;
            case ColumnType.Timestamp:
                if (token == JsonTokenType.String && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
                {
                    value = t.ToUniversalTime();
                    return true;
                }

                return false;
            default:
                return false;
        }
    }

    /// <summary>Describes a value for an error message, shortened so a huge payload does not flood the parked table.</summary>
    public static string Describe(JsonElement element)
    {
        var raw = element.GetRawText();
        return raw.Length <= 80 ? raw : raw[..77] + "...";
    }

    public static string Article(ColumnType type) => type switch
    {
        ColumnType.Integer => "an integer",
        ColumnType.Number => "a number",
        ColumnType.Decimal => "a decimal number",
        ColumnType.Boolean => "a boolean",
        ColumnType.Timestamp => "an ISO 8601 timestamp",
        ColumnType.Json => "JSON",
        _ => "text",
    };
}
