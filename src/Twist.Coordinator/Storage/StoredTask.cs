namespace Twist.Coordinator.Storage;

/// <summary>A Brobridge v1 task: participant-owned state kept by the coordinator (research/brobridge.md §1.11).</summary>
public sealed record StoredTask
{
    /// <summary>Gets the task id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the confirm action.</summary>
    public required ParticipantAction Confirm { get; init; }

    /// <summary>Gets the cancel action.</summary>
    public required ParticipantAction Cancel { get; init; }

    /// <summary>Gets the opaque payload the participant stored.</summary>
    public string? Payload { get; init; }

    /// <summary>Gets the v1 status string: <c>PENDING</c>, <c>CONFIRMED</c> or <c>CANCELED</c>.</summary>
    public required string Status { get; init; }

    /// <summary>Gets the transaction the task was registered with, if any.</summary>
    public string? Tid { get; init; }

    /// <summary>Gets when the task was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the task's reservation expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}
