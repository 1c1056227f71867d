using System.Buffers;
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
    // One writer per thread, reset for each key: a key is built for every row change of every event.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    // The ASCII characters the writer copies as they are; a one-part key made only of them needs no writer at all.
    private static readonly bool[] Verbatim = VerbatimAscii();

    public static string From(ReadOnlySpan<object?> values)
    {
        // The common keys, a single string or integer, are built directly: the same text the writer would produce.
        if (values.Length == 1)
        {
            switch (values[0])
            {
                case long l:
                    return "[" + l.ToString(CultureInfo.InvariantCulture) + "]";
                case string s when IsVerbatim(s):
                    return string.Concat("[\"", s, "\"]");
            }
        }

        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(64);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        writer.Reset(buffer);
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
        writer.Flush();
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static bool IsVerbatim(string text)
    {
        foreach (var c in text)
        {
            if (c >= 128 || !Verbatim[c])
            {
                return false;
            }
        }

        return true;
    }

    private static bool[] VerbatimAscii()
    {
        var verbatim = new bool[128];
        var buffer = new ArrayBufferWriter<byte>(16);
        for (var c = 0; c < verbatim.Length; c++)
        {
            buffer.ResetWrittenCount();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStringValue(((char)c).ToString());
            }

            verbatim[c] = buffer.WrittenCount == 3 && buffer.WrittenSpan[1] == c;
        }

        return verbatim;
    }

    /// <summary>The key of a row whose key fields could not be converted: their raw JSON, so the row can still be parked by key.</summary>
    public static string FromRaw(IEnumerable<JsonElement> elements) => "[" + string.Join(",", elements.Select(e => e.GetRawText())) + "]";
}
