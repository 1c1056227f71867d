using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;

namespace Gravity.Sync.Snapshots;

/// <summary>
/// Converts a value read from a snapshot (as a driver returns it: SQLite keeps decimals and timestamps as text and
/// booleans as integers, PostgreSQL and MySQL have their own types) to the logical type of the target column, which is
/// what the target dialects write, exactly as values mapped from events.
/// </summary>
internal static class SnapshotValueConverter
{
    public static object? Convert(object? value, ColumnSchema column) => value is null or DBNull ? null : column.Type switch
    {
        ColumnType.Integer => ToLong(value),
        ColumnType.Number => ToDouble(value),
        ColumnType.Decimal => ToDecimal(value),
        ColumnType.Boolean => ToBoolean(value),
        ColumnType.Timestamp => ToTimestamp(value),
        ColumnType.Json => Compact(value is string json ? json : ToText(value)),
        _ => ToText(value),
    };

    /// <summary>
    /// JSON as events write it: compact. PostgreSQL jsonb and MySQL JSON hand it back re-spaced (<c>{"a": [1, 2]}</c>),
    /// which is the same JSON; text that does not parse is kept as it is.
    /// </summary>
    private static string Compact(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                document.WriteTo(writer);
            }

            return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static long ToLong(object value) => value switch
    {
        long l => l,
        int or short or byte or sbyte or uint or ushort => System.Convert.ToInt64(value, CultureInfo.InvariantCulture),
        decimal m when m == decimal.Truncate(m) => (long)m,
        double d when d == Math.Truncate(d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
        bool b => b ? 1 : 0,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        _ => throw Unconvertible(value, ColumnType.Integer),
    };

    private static double ToDouble(object value) => value switch
    {
        double d => d,
        float f => f,
        decimal m => (double)m,
        long or int or short or byte => System.Convert.ToDouble(value, CultureInfo.InvariantCulture),
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => throw Unconvertible(value, ColumnType.Number),
    };

    private static decimal ToDecimal(object value) => value switch
    {
        decimal m => m,
        long or int or short or byte => System.Convert.ToDecimal(value, CultureInfo.InvariantCulture),
        double d => (decimal)d, // SQLite keeps a decimal that fits a double as REAL; 15 significant digits round-trip
        string s when decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) => m,
        _ => throw Unconvertible(value, ColumnType.Decimal),
    };

    private static bool ToBoolean(object value) => value switch
    {
        bool b => b,
        long or int or short or byte or sbyte when System.Convert.ToInt64(value, CultureInfo.InvariantCulture) is 0 or 1 => System.Convert.ToInt64(value, CultureInfo.InvariantCulture) == 1,
        string s when bool.TryParse(s, out var b) => b,
        string s when s is "0" or "1" => s == "1",
        _ => throw Unconvertible(value, ColumnType.Boolean),
    };

    private static DateTimeOffset ToTimestamp(object value) => value switch
    {
        DateTimeOffset t => t.ToUniversalTime(),

        // Gravity writes UTC; a DateTime without a kind (MySQL DATETIME, PostgreSQL timestamp without time zone) is UTC.
        DateTime t => new DateTimeOffset(t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc)),
        string s when DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) => t.ToUniversalTime(),
        _ => throw Unconvertible(value, ColumnType.Timestamp),
    };

    private static string ToText(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    private static FormatException Unconvertible(object value, ColumnType type) =>
        new($"A snapshot value {ToText(value)} ({value.GetType().Name}) cannot be converted to {type.ToString().ToLowerInvariant()}.");
}
