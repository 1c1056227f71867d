using Twist.Transactions;

namespace Twist.Coordinator.Storage;

/// <summary>The record of one Confirm/Cancel delivery to a participant.</summary>
public sealed record ParticipantAttempt
{
    /// <summary>Gets the transaction id.</summary>
    public required string Tid { get; init; }

    /// <summary>Gets the participant number.</summary>
    public required int ParticipantId { get; init; }

    /// <summary>Gets the phase delivered: confirm or cancel.</summary>
    public required string Phase { get; init; }

    /// <summary>Gets when the attempt started.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>Gets how long the attempt took.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the participant status after this attempt.</summary>
    public required ParticipantStatus ResultStatus { get; init; }

    /// <summary>Gets the HTTP status code (or gRPC status number) the participant answered, if it answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the error text when the attempt failed.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the attempt count of the participant after this attempt.</summary>
    public required int AttemptNumber { get; init; }

    /// <summary>Gets when the next attempt is due, when the result is <see cref="ParticipantStatus.Failed"/>.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }
}
