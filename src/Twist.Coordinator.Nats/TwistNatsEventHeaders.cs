namespace Twist.Coordinator.Nats;

/// <summary>The NATS headers on every transaction event message.</summary>
public static class TwistNatsEventHeaders
{
    /// <summary>The W3C trace context of the coordinator span the event happened in (when one was recorded).</summary>
    public const string TraceParent = "traceparent";

    /// <summary>The W3C trace state that goes with <see cref="TraceParent"/>.</summary>
    public const string TraceState = "tracestate";

    /// <summary>The transaction id, exactly (the subject token replaces '.' with '_').</summary>
    public const string TransactionId = "Twist-Transaction-ID";

    /// <summary>The event kind, e.g. <c>Begun</c>, <c>Decided</c>, <c>ParticipantConfirmed</c>, <c>Completed</c>.</summary>
    public const string Event = "Twist-Event";

    /// <summary>The JetStream de-duplication header; set to the event id in JetStream mode.</summary>
    public const string MessageId = "Nats-Msg-Id";
}
