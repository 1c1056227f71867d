using Rosen.Collector.Storage;

namespace Rosen.Manager.Transactions;

/// <summary>What a step of a business transaction was.</summary>
public enum TimelinePhase
{
    Begin,
    Try,
    Decision,
    Confirm,
    Cancel,
    ReadModel,
    Call,
    Other,
}

/// <summary>One span of a transaction, labelled for people and placed on the time axis (percentages of the whole).</summary>
public sealed record TimelineEntry(
    CollectedSpan Span,
    TimelinePhase Phase,
    string Label,
    string? Participant,
    int? Attempt,
    string? Outcome,
    string? Error)
{
    public bool Failed => Span.Status == CollectedSpanStatus.Error;

    public double OffsetPercent { get; init; }

    public double WidthPercent { get; init; }

    public TimeSpan Offset { get; init; }
}

/// <summary>How the coordinator's deliveries to one participant went, from its delivery spans.</summary>
public sealed record ParticipantDeliveries(string Participant, string? Address, int ConfirmAttempts, int CancelAttempts, string? LastOutcome, string? LastError);

/// <summary>A business transaction as a timeline built from its collected spans.</summary>
public sealed record TransactionTimeline(
    string TransactionId,
    IReadOnlyList<TimelineEntry> Entries,
    IReadOnlyList<ParticipantDeliveries> Participants,
    DateTimeOffset? Start,
    TimeSpan Duration,
    string? LastStatus)
{
    public bool IsEmpty => Entries.Count == 0;
}
