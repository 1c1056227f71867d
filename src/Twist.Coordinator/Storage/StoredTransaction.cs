using Twist.Transactions;

namespace Twist.Coordinator.Storage;

/// <summary>A transaction row with its participants, as a store returns it.</summary>
public sealed record StoredTransaction
{
    /// <summary>Gets the transaction id.</summary>
    public required string Tid { get; init; }

    /// <summary>Gets the status.</summary>
    public required TransactionStatus Status { get; init; }

    /// <summary>Gets the attention flag.</summary>
    public TransactionAttention Attention { get; init; }

    /// <summary>Gets when the transaction was begun.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the deadline for the decision.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Gets when the decision was made.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Gets when the transaction finished.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets why the decision was cancel, if it was.</summary>
    public string? Reason { get; init; }

    /// <summary>
    /// Gets the coordinator instance that drives the decided transaction, in stores shared by several instances
    /// (<see cref="ITransactionLeaseStore"/>); <see langword="null"/> before the decision and in single-writer stores.
    /// </summary>
    public string? Owner { get; init; }

    /// <summary>
    /// Gets the fencing epoch of the drive: raised by one each time an instance decides or takes the transaction over.
    /// Writes and participant calls made under an older epoch are refused. Always 0 in single-writer stores.
    /// </summary>
    public long Epoch { get; init; }

    /// <summary>
    /// Gets the W3C <c>traceparent</c> of the span the transaction was begun in, so that work done for it later in
    /// another trace (a drive resumed after a restart or a takeover, the timeout sweep, an operator's retry) links back
    /// to it; <see langword="null"/> when nothing traced the begin.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the participants in registration order.</summary>
    public IReadOnlyList<StoredParticipant> Participants { get; init; } = [];
}
