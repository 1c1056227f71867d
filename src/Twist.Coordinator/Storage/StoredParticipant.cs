using Twist.Transactions;

namespace Twist.Coordinator.Storage;

/// <summary>A participant row, as a store returns it.</summary>
public sealed record StoredParticipant
{
    /// <summary>Gets the participant's 1-based number within its transaction.</summary>
    public required int Id { get; init; }

    /// <summary>Gets where Confirm and Cancel are delivered and how.</summary>
    public required ParticipantTarget Target { get; init; }

    /// <summary>Gets when the participant's reservation expires.</summary>
    public required DateTimeOffset Expires { get; init; }

    /// <summary>Gets the delivery status.</summary>
    public required ParticipantStatus Status { get; init; }

    /// <summary>Gets how many deliveries were attempted in the current retry budget.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the last error.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets when the last attempt was made.</summary>
    public DateTimeOffset? LastAttemptAt { get; init; }

    /// <summary>Gets when the next attempt is due.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
