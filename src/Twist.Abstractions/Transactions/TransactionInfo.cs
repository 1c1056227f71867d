namespace Twist.Transactions;

/// <summary>Describes a transaction as the coordinator last recorded it.</summary>
public sealed record TransactionInfo
{
    /// <summary>Gets the transaction id.</summary>
    public required string Tid { get; init; }

    /// <summary>Gets the transaction status.</summary>
    public required TransactionStatus Status { get; init; }

    /// <summary>Gets whether the transaction needs an operator.</summary>
    public TransactionAttention Attention { get; init; }

    /// <summary>Gets when the transaction was begun.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets the deadline after which an undecided transaction is cancelled.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Gets when the decision was made.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Gets when the last participant acknowledged the decision.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>Gets why the transaction was cancelled, when it was (for example "timeout" or "link-expired").</summary>
    public string? Reason { get; init; }

    /// <summary>Gets the participants in registration order.</summary>
    public IReadOnlyList<ParticipantInfo> Participants { get; init; } = [];
}
