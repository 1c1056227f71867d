namespace Twist.Coordinator.Events;

/// <summary>
/// The message headers every event output (NATS, Kafka) puts on a transaction event, so consumers can route, deduplicate
/// and continue the trace without parsing the body.
/// </summary>
public static class TransactionEventHeaders
{
    /// <summary>The W3C trace context of the producer span that sent the event (a child of the coordinator span the step happened in).</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The W3C trace state that goes with <see cref="TraceParent"/>.</summary>
    public const string TraceState = "tracestate";

    /// <summary>The W3C baggage of the step; always holds <c>twist.transaction.id</c>.</summary>
    public const string Baggage = "baggage";

    /// <summary>The transaction id, exactly.</summary>
    public const string TransactionId = "Twist-Transaction-ID";

    /// <summary>The event kind, e.g. <c>Begun</c>, <c>Decided</c>, <c>ParticipantConfirmed</c>, <c>Completed</c>.</summary>
    public const string Event = "Twist-Event";

    /// <summary>The event id, unique per event: a consumer that sees it twice has a repeat.</summary>
    public const string EventId = "Twist-Event-ID";
}
