using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Rosen.Collector.Storage;

/// <summary>
/// The log-record row layout every <see cref="ISpanStore"/> database shares: the column list, how a row reads back into
/// a <see cref="CollectedLogRecord"/>, and the key that makes storing the same record twice harmless.
/// </summary>
public static class LogRowFormat
{
    /// <summary>The log columns, in the order <see cref="Read"/> expects them.</summary>
    public const string Columns =
        "time_ns, severity_number, severity_text, body, service_name, service_instance, scope_name, trace_id, span_id, " +
        "event_name, event_id, attributes, transaction_id, gravity_event_id";

    /// <summary>The log columns qualified with a table alias, for joins.</summary>
    /// <param name="alias">The table alias.</param>
    /// <returns>The column list, each column prefixed with <paramref name="alias"/>.</returns>
    public static string Prefixed(string alias) => string.Join(", ", Columns.Split(", ").Select(c => alias + "." + c));

    /// <summary>
    /// The record's identity: a hash of everything it says. OTLP log records carry no id, and an exporter that retries
    /// after a lost answer sends the same records again; the stores keep one row per key.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <returns>32 lowercase hex digits.</returns>
    public static string Key(CollectedLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var text = new StringBuilder();
        foreach (var part in new[]
        {
            record.TimeUnixNano.ToString(CultureInfo.InvariantCulture), record.ServiceName, record.ServiceInstanceId, record.ScopeName,
            record.TraceId, record.SpanId, record.SeverityNumber.ToString(CultureInfo.InvariantCulture), record.SeverityText,
            record.EventName, record.EventId?.ToString(CultureInfo.InvariantCulture), record.Body, AttributesJson(record),
        })
        {
            // Length-prefixed, so no two different records share the text that is hashed.
            text.Append(part?.Length ?? -1).Append(':').Append(part).Append('|');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }

    /// <summary>The JSON of the attributes column, keys in ordinal order.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The attributes as a JSON object.</returns>
    public static string AttributesJson(CollectedLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var sorted = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in record.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            sorted[key] = value;
        }

        return JsonSerializer.Serialize(sorted, SpanJsonContext.Default.DictionaryStringString);
    }

    /// <summary>The values of <see cref="Columns"/> for a record, in order (nulls for absent values).</summary>
    /// <param name="record">The record.</param>
    /// <returns>One value per column.</returns>
    public static object?[] Values(CollectedLogRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return
        [
            record.TimeUnixNano, record.SeverityNumber, record.SeverityText, record.Body, record.ServiceName, record.ServiceInstanceId,
            record.ScopeName, record.TraceId, record.SpanId, record.EventName, record.EventId, AttributesJson(record),
            record.TransactionId, record.GravityEventId,
        ];
    }

    /// <summary>Reads the current row, selected with <see cref="Columns"/>, into a log record.</summary>
    /// <param name="r">The reader, positioned on a row.</param>
    /// <returns>The record.</returns>
    public static CollectedLogRecord Read(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new()
        {
            TimeUnixNano = r.GetInt64(0),
            SeverityNumber = r.GetInt32(1),
            SeverityText = r.IsDBNull(2) ? null : r.GetString(2),
            Body = r.IsDBNull(3) ? null : r.GetString(3),
            ServiceName = r.GetString(4),
            ServiceInstanceId = r.IsDBNull(5) ? null : r.GetString(5),
            ScopeName = r.IsDBNull(6) ? null : r.GetString(6),
            TraceId = r.IsDBNull(7) ? null : r.GetString(7),
            SpanId = r.IsDBNull(8) ? null : r.GetString(8),
            EventName = r.IsDBNull(9) ? null : r.GetString(9),
            EventId = r.IsDBNull(10) ? null : r.GetInt32(10),
            Attributes = JsonSerializer.Deserialize(r.GetString(11), SpanJsonContext.Default.DictionaryStringString) ?? [],
            TransactionId = r.IsDBNull(12) ? null : r.GetString(12),
            GravityEventId = r.IsDBNull(13) ? null : r.GetString(13),
        };
    }
}
