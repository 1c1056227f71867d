namespace Twist.Coordinator.Storage;

/// <summary>One audited operator action.</summary>
public sealed record AuditEntry
{
    /// <summary>Gets the entry's sequence number (assigned by the store).</summary>
    public long Id { get; init; }

    /// <summary>Gets when the action was taken.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets who took it (the authenticated principal's name).</summary>
    public required string Actor { get; init; }

    /// <summary>Gets the action, e.g. <c>retry-participant</c> or <c>force-cancel</c>.</summary>
    public required string Action { get; init; }

    /// <summary>Gets the transaction acted on.</summary>
    public required string Tid { get; init; }

    /// <summary>Gets the participant acted on, if any.</summary>
    public int? ParticipantId { get; init; }

    /// <summary>Gets the reason the operator gave.</summary>
    public string? Reason { get; init; }

    /// <summary>Gets what the action did (e.g. "transaction was Active, now Cancelling").</summary>
    public required string Outcome { get; init; }
}
