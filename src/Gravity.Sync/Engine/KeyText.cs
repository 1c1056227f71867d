using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Gravity.Sync.Engine;

/// <summary>
/// The canonical text of a row key: a JSON array of the converted key values (<c>[42]</c>, <c>["eu",42]</c>). It names
/// a row in parked entries and operator calls and feeds the partition hash, so it must not depend on how the payload
/// spelled the value (<c>42</c> and <c>"42"</c> in an integer key are the same row).
/// </summary>
internal static class KeyText
{
    public static string From(ReadOnlySpan<object?> values)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                switch (value)
                {
                    case null: writer.WriteNullValue(); break;
                    case string s: writer.WriteStringValue(s); break;
                    case long l: writer.WriteNumberValue(l); break;
                    case double d: writer.WriteNumberValue(d); break;
                    case decimal m: writer.WriteNumberValue(m); break;
                    case bool b: writer.WriteBooleanValue(b); break;
                    case DateTimeOffset t: writer.WriteStringValue(t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)); break;
                    default: writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The key of a row whose key fields could not be converted: their raw JSON, so the row can still be parked by key.</summary>
    public static string FromRaw(IEnumerable<JsonElement> elements) => "[" + string.Join(",", elements.Select(e => e.GetRawText())) + "]";
}
