namespace Gravity.Sync.Operations;

/// <summary>What one projection rule has written since the synchronizer started, summed over its partitions.</summary>
/// <param name="Event">The event name the rule matches.</param>
/// <param name="Database">The database it writes.</param>
/// <param name="Table">The table it writes.</param>
/// <param name="Method">How it writes rows (insert, upsert, update, delete, ...).</param>
/// <param name="RowsApplied">Row changes committed.</param>
/// <param name="RowsParked">Row changes held back: parked behind a failure of their key, or dead letters without a key.</param>
public sealed record RuleStatus(string Event, string Database, string Table, string Method, long RowsApplied, long RowsParked)
{
    /// <summary>Gets where the rule was declared (an attribute or a rules file), as the rule errors name it.</summary>
    public string? Origin { get; init; }

    /// <summary>Gets when a batch last committed one of its row changes, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastAppliedAt { get; init; }

    /// <summary>Gets when the counting started: the synchronizer's start.</summary>
    public DateTimeOffset Since { get; init; }
}
