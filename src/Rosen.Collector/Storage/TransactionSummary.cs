namespace Rosen.Collector.Storage;

/// <summary>One business transaction as its collected spans describe it.</summary>
/// <param name="TransactionId">The Twist transaction id.</param>
/// <param name="FirstSeen">The start of its earliest span.</param>
/// <param name="LastSeen">The end of its latest span.</param>
/// <param name="SpanCount">How many spans carry its id.</param>
/// <param name="ErrorCount">How many of them failed.</param>
/// <param name="Status">The last status its spans reported, or <see langword="null"/> when none did.</param>
/// <param name="Services">The services that emitted its spans.</param>
public sealed record TransactionSummary(
    string TransactionId,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    int SpanCount,
    int ErrorCount,
    string? Status,
    IReadOnlyList<string> Services);
