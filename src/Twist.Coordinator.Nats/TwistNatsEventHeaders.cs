using Twist.Coordinator.Events;

namespace Twist.Coordinator.Nats;

/// <summary>The NATS headers on every transaction event message (the common ones are <see cref="TransactionEventHeaders"/>).</summary>
public static class TwistNatsEventHeaders
{
    /// <summary>The W3C trace context of the Producer span that sent the event, a child of the coordinator span the step happened in.</summary>
    public const string TraceParent = TransactionEventHeaders.TraceParent;

    /// <summary>The W3C trace state that goes with <see cref="TraceParent"/>.</summary>
    public const string TraceState = TransactionEventHeaders.TraceState;

    /// <summary>The W3C baggage of the step; always holds <c>twist.transaction.id</c>.</summary>
    public const string Baggage = TransactionEventHeaders.Baggage;

    /// <summary>The transaction id, exactly (the subject token replaces '.' with '_').</summary>
    public const string TransactionId = TransactionEventHeaders.TransactionId;

    /// <summary>The event kind, e.g. <c>Begun</c>, <c>Decided</c>, <c>ParticipantConfirmed</c>, <c>Completed</c>.</summary>
    public const string Event = TransactionEventHeaders.Event;

    /// <summary>The event id (also in the body as <c>eventId</c>).</summary>
    public const string EventId = TransactionEventHeaders.EventId;

    /// <summary>The JetStream de-duplication header; set to the event id in JetStream mode.</summary>
    public const string MessageId = "Nats-Msg-Id";
}
