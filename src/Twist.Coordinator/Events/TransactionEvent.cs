using System.Text.Json.Serialization;
using Twist.Transactions;

namespace Twist.Coordinator.Events;

/// <summary>
/// One step in a transaction's life, as handed to every <see cref="ITransactionEventSink"/>. Which optional properties
/// are set depends on <see cref="Kind"/>; unused ones are <see langword="null"/>.
/// </summary>
/// <remarks>
/// Events are a notification stream, not the record of truth (the coordinator's store is): delivery is at most once
/// across a coordinator crash, and a step the coordinator repeats (a re-registered link, a participant re-delivered by
/// recovery) is announced again.
/// </remarks>
public sealed record TransactionEvent
{
    /// <summary>Gets the event's unique id (a version 7 GUID in hex); sinks use it to deduplicate.</summary>
    public required string EventId { get; init; }

    /// <summary>Gets the transaction id.</summary>
    public required string TransactionId { get; init; }

    /// <summary>Gets what happened.</summary>
    public required TransactionEventKind Kind { get; init; }

    /// <summary>Gets when it happened, by the coordinator's clock.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the transaction's deadline; set on <see cref="TransactionEventKind.Begun"/>.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Gets the decision; set on <see cref="TransactionEventKind.Decided"/>.</summary>
    public TransactionDecision? Decision { get; init; }

    /// <summary>
    /// Gets why the transaction is cancelled (<c>requested</c>, <c>timeout</c>, <c>link-expired</c>, <c>operator</c>,
    /// <c>task-cancelled</c>); set on <see cref="TransactionEventKind.Decided"/> and <see cref="TransactionEventKind.Completed"/>
    /// when the decision is cancel.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>Gets the final status (Confirmed or Cancelled); set on <see cref="TransactionEventKind.Completed"/>.</summary>
    public TransactionStatus? Status { get; init; }

    /// <summary>Gets the participant's 1-based number within the transaction; set on participant events.</summary>
    public int? ParticipantId { get; init; }

    /// <summary>
    /// Gets the participant's link without its query string (which may carry secrets); set on
    /// <see cref="TransactionEventKind.ParticipantRegistered"/>.
    /// </summary>
    public string? ParticipantUri { get; init; }

    /// <summary>Gets how many deliveries the participant's outcome took; set on participant outcome events.</summary>
    public int? Attempts { get; init; }

    /// <summary>Gets the last delivery error; set on <see cref="TransactionEventKind.ParticipantParked"/> and <see cref="TransactionEventKind.ParticipantHeuristic"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the W3C <c>traceparent</c> of the coordinator span the event happened in, when one was recorded.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the W3C <c>tracestate</c> that goes with <see cref="TraceParent"/>.</summary>
    public string? TraceState { get; init; }

    /// <summary>
    /// Gets the W3C <c>baggage</c> of the step: the span's baggage items plus <c>twist.transaction.id</c>, so a consumer
    /// that continues the trace knows the transaction. Sent as a message header, not in the JSON body.
    /// </summary>
    [JsonIgnore]
    public string? Baggage { get; init; }
}
