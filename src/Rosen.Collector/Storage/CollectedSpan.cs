namespace Rosen.Collector.Storage;

/// <summary>A span as the collector stores it: OTLP fields plus the business keys it is indexed by.</summary>
public sealed record CollectedSpan
{
    private readonly string? inheritedTransactionId;

    /// <summary>Gets the trace id (32 lowercase hex digits).</summary>
    public required string TraceId { get; init; }

    /// <summary>Gets the span id (16 lowercase hex digits).</summary>
    public required string SpanId { get; init; }

    /// <summary>Gets the parent span id, or <see langword="null"/> for a root span.</summary>
    public string? ParentSpanId { get; init; }

    /// <summary>Gets the span name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the span kind.</summary>
    public required CollectedSpanKind Kind { get; init; }

    /// <summary>Gets the emitting service (resource attribute <c>service.name</c>; <c>unknown_service</c> when absent).</summary>
    public required string ServiceName { get; init; }

    /// <summary>Gets the emitting instance (resource attribute <c>service.instance.id</c>), if known.</summary>
    public string? ServiceInstanceId { get; init; }

    /// <summary>Gets the instrumentation scope (the ActivitySource name), if known.</summary>
    public string? ScopeName { get; init; }

    /// <summary>Gets the start time in nanoseconds since the Unix epoch.</summary>
    public required long StartUnixNano { get; init; }

    /// <summary>Gets the end time in nanoseconds since the Unix epoch.</summary>
    public required long EndUnixNano { get; init; }

    /// <summary>Gets the span status.</summary>
    public CollectedSpanStatus Status { get; init; }

    /// <summary>Gets the status description, if any.</summary>
    public string? StatusMessage { get; init; }

    /// <summary>Gets the span attributes, values as text (arrays and maps as JSON).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();

    /// <summary>Gets the span events.</summary>
    public IReadOnlyList<CollectedSpanEvent> Events { get; init; } = [];

    /// <summary>Gets the span links.</summary>
    public IReadOnlyList<CollectedSpanLink> Links { get; init; } = [];

    /// <summary>
    /// Gets the Twist transaction id the span belongs to: its attribute <c>twist.transaction.id</c>, or, once stored,
    /// the id inherited from its nearest ancestor span that carries one (a participant's server span under the
    /// coordinator's call, the database calls under it).
    /// </summary>
    public string? TransactionId
    {
        get => inheritedTransactionId ?? Attribute(RosenCollectorTelemetry.TransactionIdAttribute);
        init => inheritedTransactionId = value;
    }

    /// <summary>Gets the Gravity event id the span belongs to (attribute <c>gravity.event.id</c>), if any.</summary>
    public string? EventId => Attribute(RosenCollectorTelemetry.EventIdAttribute);

    /// <summary>Gets the start time.</summary>
    public DateTimeOffset Start => DateTimeOffset.UnixEpoch.AddTicks(StartUnixNano / 100);

    /// <summary>Gets the duration (zero when the sender's end is before its start).</summary>
    public TimeSpan Duration => TimeSpan.FromTicks(Math.Max(0, EndUnixNano - StartUnixNano) / 100);

    /// <summary>Gets an attribute value, or <see langword="null"/> when the span does not carry it.</summary>
    /// <param name="key">The attribute key.</param>
    /// <returns>The value as text, or <see langword="null"/>.</returns>
    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
}
