namespace Twist.Transactions;

/// <summary>Describes one participant of a transaction as the coordinator last recorded it.</summary>
public sealed record ParticipantInfo
{
    /// <summary>Gets the participant's number within its transaction (1-based, in registration order).</summary>
    public required int Id { get; init; }

    /// <summary>Gets the participant link URI (for a Brobridge v1 task, its confirm action URI).</summary>
    public required Uri Uri { get; init; }

    /// <summary>Gets when the participant's reservation expires.</summary>
    public required DateTimeOffset Expires { get; init; }

    /// <summary>Gets the participant's delivery status.</summary>
    public required ParticipantStatus Status { get; init; }

    /// <summary>Gets how many Confirm/Cancel deliveries were attempted.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the error of the last failed attempt, if any.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets when the last attempt was made.</summary>
    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>Gets when the next attempt is due, for a participant that is being retried.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>Gets the Brobridge v1 task id when the participant was registered as a task.</summary>
    public string? TaskId { get; init; }
}
