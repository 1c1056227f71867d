namespace Gravity.Sync.Snapshots;

/// <summary>
/// Stored in a database while it is being filled from a snapshot. Its presence at start-up means the last load did
/// not finish: the tables are incomplete, so the load runs again before any event is applied.
/// </summary>
/// <param name="From">The database or snapshot source being copied.</param>
/// <param name="StartedAt">When the load started.</param>
/// <param name="RowsLoaded">How many rows were committed when the marker was last updated.</param>
internal sealed record SnapshotMarker(string From, DateTimeOffset StartedAt, long RowsLoaded);
