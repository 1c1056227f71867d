namespace Gravity.Sync.Operations;

/// <summary>A snapshot load that completed: the database then followed the live stream from the snapshot's positions.</summary>
/// <param name="From">The database or snapshot source the rows came from.</param>
/// <param name="FinishedAt">When the load ended.</param>
/// <param name="Rows">How many rows were loaded.</param>
/// <param name="Duration">How long the load took.</param>
public sealed record SnapshotLoaded(string From, DateTimeOffset FinishedAt, long Rows, TimeSpan Duration);
