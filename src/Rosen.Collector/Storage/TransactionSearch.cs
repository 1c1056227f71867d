namespace Rosen.Collector.Storage;

/// <summary>Filters for listing the business transactions seen in collected spans. Every filter is optional.</summary>
public sealed record TransactionSearch
{
    /// <summary>Gets the transaction id, or its beginning.</summary>
    public string? TransactionId { get; init; }

    /// <summary>Gets the last known status (case-insensitive), e.g. <c>Confirmed</c> or <c>Cancelling</c>.</summary>
    public string? Status { get; init; }

    /// <summary>Gets text that a participant or a service of the transaction contains (case-insensitive).</summary>
    public string? Participant { get; init; }

    /// <summary>Gets the earliest first-seen time to include.</summary>
    public DateTimeOffset? StartedAfter { get; init; }

    /// <summary>Gets the latest first-seen time to include.</summary>
    public DateTimeOffset? StartedBefore { get; init; }

    /// <summary>Gets a value indicating whether only transactions with at least one failed span are listed.</summary>
    public bool ErrorsOnly { get; init; }

    /// <summary>Gets how many to return, newest first.</summary>
    /// <value>The default value is 50.</value>
    public int Limit { get; init; } = 50;

    /// <summary>Gets how many to skip, for paging.</summary>
    public int Offset { get; init; }
}
