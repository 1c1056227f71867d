namespace Gravity.Sync.Operations;

/// <summary>A snapshot load in progress: the database's tables are incomplete until it ends, and its pipelines wait.</summary>
/// <param name="From">The database or snapshot source the rows come from.</param>
/// <param name="StartedAt">When the load started.</param>
/// <param name="RowsLoaded">How many rows are committed so far.</param>
public sealed record SnapshotProgress(string From, DateTimeOffset StartedAt, long RowsLoaded);
