using System.Data.Common;
using System.Text.Json;

namespace Rosen.Collector.Storage;

/// <summary>
/// The row layout every <see cref="ISpanStore"/> database shares: the column list, how a row reads back into a
/// <see cref="CollectedSpan"/>, and the JSON of the attribute, event and link columns. Keeping it in one place keeps the
/// SQLite and PostgreSQL stores storing spans in exactly the same shape.
/// </summary>
public static class SpanRowFormat
{
    /// <summary>The span columns, in the order <see cref="Read"/> expects them.</summary>
    public const string Columns =
        "trace_id, span_id, parent_span_id, name, kind, service_name, service_instance, scope_name, start_ns, end_ns, " +
        "status_code, status_message, attributes, events, links, transaction_id";

    /// <summary>The span columns qualified with a table alias, for joins.</summary>
    /// <param name="alias">The table alias.</param>
    /// <returns>The column list, each column prefixed with <paramref name="alias"/>.</returns>
    public static string Prefixed(string alias) => string.Join(", ", Columns.Split(", ").Select(c => alias + "." + c));

    /// <summary>Escapes <c>\</c>, <c>%</c> and <c>_</c> for a <c>LIKE … ESCAPE '\'</c> pattern.</summary>
    /// <param name="value">The literal text to search for.</param>
    /// <returns>The text with the LIKE wildcards escaped.</returns>
    public static string EscapeLike(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
    }

    /// <summary>The JSON of the attributes column.</summary>
    /// <param name="span">The span.</param>
    /// <returns>The attributes as a JSON object.</returns>
    public static string AttributesJson(CollectedSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return JsonSerializer.Serialize(new Dictionary<string, string>(span.Attributes), SpanJsonContext.Default.DictionaryStringString);
    }

    /// <summary>The JSON of the events column, or null when the span has none.</summary>
    /// <param name="span">The span.</param>
    /// <returns>The events as a JSON array, or null.</returns>
    public static string? EventsJson(CollectedSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return span.Events.Count == 0 ? null : JsonSerializer.Serialize(span.Events.ToList(), SpanJsonContext.Default.ListCollectedSpanEvent);
    }

    /// <summary>The JSON of the links column, or null when the span has none.</summary>
    /// <param name="span">The span.</param>
    /// <returns>The links as a JSON array, or null.</returns>
    public static string? LinksJson(CollectedSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return span.Links.Count == 0 ? null : JsonSerializer.Serialize(span.Links.ToList(), SpanJsonContext.Default.ListCollectedSpanLink);
    }

    /// <summary>Nanoseconds since the Unix epoch, the unit OTLP sends and the stores keep span times in.</summary>
    /// <param name="time">The time.</param>
    /// <returns>The nanoseconds since 1970-01-01 UTC.</returns>
    public static long ToUnixNano(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100;

    /// <summary>The time of a stored nanosecond timestamp.</summary>
    /// <param name="nanos">Nanoseconds since 1970-01-01 UTC.</param>
    /// <returns>The time, to the tick.</returns>
    public static DateTimeOffset FromUnixNano(long nanos) => DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);

    /// <summary>The value the participant search matches: the participant's own name, else the address the coordinator called.</summary>
    /// <param name="span">The span.</param>
    /// <returns>The participant, or null.</returns>
    public static string? ParticipantOf(CollectedSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return span.Attribute("twist.participant.name") ?? span.Attribute("server.address");
    }

    /// <summary>The last status a span reports for its transaction: the client's view after confirm/cancel, else the decision.</summary>
    /// <param name="span">The span.</param>
    /// <returns>The status, or null.</returns>
    public static string? TransactionStatusOf(CollectedSpan span)
    {
        ArgumentNullException.ThrowIfNull(span);
        return span.Attribute("twist.transaction.status") ?? span.Attribute("twist.decision");
    }

    /// <summary>Reads the current row, selected with <see cref="Columns"/>, into a span.</summary>
    /// <param name="r">The reader, positioned on a row.</param>
    /// <returns>The span.</returns>
    public static CollectedSpan Read(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new()
        {
            TraceId = r.GetString(0),
            SpanId = r.GetString(1),
            ParentSpanId = r.IsDBNull(2) ? null : r.GetString(2),
            Name = r.GetString(3),
            Kind = (CollectedSpanKind)r.GetInt32(4),
            ServiceName = r.GetString(5),
            ServiceInstanceId = r.IsDBNull(6) ? null : r.GetString(6),
            ScopeName = r.IsDBNull(7) ? null : r.GetString(7),
            StartUnixNano = r.GetInt64(8),
            EndUnixNano = r.GetInt64(9),
            Status = (CollectedSpanStatus)r.GetInt32(10),
            StatusMessage = r.IsDBNull(11) ? null : r.GetString(11),
            Attributes = JsonSerializer.Deserialize(r.GetString(12), SpanJsonContext.Default.DictionaryStringString) ?? [],
            Events = r.IsDBNull(13) ? [] : JsonSerializer.Deserialize(r.GetString(13), SpanJsonContext.Default.ListCollectedSpanEvent) ?? [],
            Links = r.IsDBNull(14) ? [] : JsonSerializer.Deserialize(r.GetString(14), SpanJsonContext.Default.ListCollectedSpanLink) ?? [],
            TransactionId = r.IsDBNull(15) ? null : r.GetString(15),
        };
    }
}
