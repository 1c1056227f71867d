namespace Rosen.Collector.Storage;

/// <summary>A log record as the collector stores it: OTLP fields plus the business keys it is found by.</summary>
public sealed record CollectedLogRecord
{
    /// <summary>Gets when it happened, in nanoseconds since the Unix epoch (OTLP <c>time_unix_nano</c>, else <c>observed_time_unix_nano</c>).</summary>
    public required long TimeUnixNano { get; init; }

    /// <summary>Gets the OTLP severity number: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal; 0 when unspecified.</summary>
    public int SeverityNumber { get; init; }

    /// <summary>Gets the severity as the sender named it (for example <c>Warning</c>), if it did.</summary>
    public string? SeverityText { get; init; }

    /// <summary>Gets the message: the body when it is a string, other bodies as JSON; <see langword="null"/> when the record has none.</summary>
    public string? Body { get; init; }

    /// <summary>Gets the emitting service (resource attribute <c>service.name</c>; <c>unknown_service</c> when absent).</summary>
    public required string ServiceName { get; init; }

    /// <summary>Gets the emitting instance (resource attribute <c>service.instance.id</c>), if known.</summary>
    public string? ServiceInstanceId { get; init; }

    /// <summary>Gets the instrumentation scope (for .NET logs, the logger category), if known.</summary>
    public string? ScopeName { get; init; }

    /// <summary>Gets the trace id (32 lowercase hex digits) of the span the record was written in, if any.</summary>
    public string? TraceId { get; init; }

    /// <summary>Gets the span id (16 lowercase hex digits) of the span the record was written in, if any.</summary>
    public string? SpanId { get; init; }

    /// <summary>Gets the event name (OTLP <c>event_name</c>; a .NET <c>EventId</c>'s name), if any.</summary>
    public string? EventName { get; init; }

    /// <summary>Gets the .NET <c>EventId</c> number, when the sender exported it (attribute <c>logrecord.event.id</c>).</summary>
    public int? EventId { get; init; }

    /// <summary>Gets the attributes, values as text (arrays and maps as JSON).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Gets the Twist transaction id the record is about: its attribute <c>twist.transaction.id</c>, else <c>Tid</c>
    /// (the placeholder Twist's log messages use).
    /// </summary>
    public string? TransactionId { get; init; }

    /// <summary>Gets the Gravity event id the record is about: its attribute <c>gravity.event.id</c>, else Gravity's <c>EventId</c> placeholder.</summary>
    public string? GravityEventId { get; init; }

    /// <summary>Gets when it happened.</summary>
    public DateTimeOffset Time => DateTimeOffset.UnixEpoch.AddTicks(TimeUnixNano / 100);

    /// <summary>Gets an attribute value, or <see langword="null"/> when the record does not carry it.</summary>
    /// <param name="key">The attribute key.</param>
    /// <returns>The value as text, or <see langword="null"/>.</returns>
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
}
