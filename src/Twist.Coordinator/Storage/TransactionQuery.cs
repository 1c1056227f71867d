using Twist.Transactions;

namespace Twist.Coordinator.Storage;

/// <summary>Filters for listing transactions (operator API). Results are ordered by creation time, newest first.</summary>
public sealed record TransactionQuery
{
    /// <summary>Gets the statuses to include; empty for all.</summary>
    public IReadOnlyList<TransactionStatus> Statuses { get; init; } = [];

    /// <summary>Gets the attention flag to require, if any.</summary>
    public TransactionAttention? Attention { get; init; }

    /// <summary>Gets the upper bound on creation time (list transactions older than this), if any.</summary>
    public DateTimeOffset? CreatedBefore { get; init; }

    /// <summary>Gets the lower bound on creation time, if any.</summary>
    public DateTimeOffset? CreatedAfter { get; init; }

    /// <summary>Gets the continuation token from the previous page, if any.</summary>
    public string? ContinuationToken { get; init; }

    /// <summary>Gets the page size (1..500).</summary>
    public int Limit { get; init; } = 50;
}

/// <summary>A page of transactions.</summary>
/// <param name="Items">The transactions, without participants.</param>
/// <param name="ContinuationToken">The token for the next page, or <see langword="null"/> at the end.</param>
public sealed record TransactionPage(IReadOnlyList<StoredTransaction> Items, string? ContinuationToken);
