namespace Gravity.Sync.Events;

/// <summary>
/// Message header names Gravity uses on brokers (NATS, Kafka) for domain events and "synced" events. The payload is
/// the event's JSON; everything about the event travels in headers, so consumers can filter without parsing bodies.
/// </summary>
public static class GravityMessageHeaders
{
    /// <summary>The event id (JetStream also gets it as <c>Nats-Msg-Id</c> for de-duplication).</summary>
    public const string EventId = "Gravity-Event-Id";

    /// <summary>The event name rules match on.</summary>
    public const string EventName = "Gravity-Event";

    /// <summary>The publisher's key, when it gave one.</summary>
    public const string EventKey = "Gravity-Event-Key";

    /// <summary>When the event happened, as Unix milliseconds.</summary>
    public const string EventTime = "Gravity-Event-Time";

    /// <summary>On a synced event: the database the event was applied to.</summary>
    public const string Database = "Gravity-Database";

    /// <summary>On a synced event: the table.</summary>
    public const string Table = "Gravity-Table";

    /// <summary>On a synced event: the row key as a JSON array.</summary>
    public const string RowKey = "Gravity-Row-Key";

    /// <summary>On a synced event: the source position of the original event.</summary>
    public const string Position = "Gravity-Position";

    /// <summary>On a synced event: the source (or source partition) the position belongs to.</summary>
    public const string Source = "Gravity-Source";

    /// <summary>The W3C trace context header.</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The W3C trace state header.</summary>
    public const string TraceState = "tracestate";
}
