namespace Gravity.Sync.Operations;

/// <summary>The outcome of filling a database from a snapshot.</summary>
/// <param name="Database">The database that was filled.</param>
/// <param name="From">The database or snapshot source it was filled from.</param>
/// <param name="Rows">How many rows were loaded.</param>
/// <param name="Positions">Per source name, the position the database resumed the live stream from.</param>
/// <param name="Duration">How long the load took, from emptying the database to handing it to the live stream.</param>
public sealed record SnapshotResult(string Database, string From, long Rows, IReadOnlyDictionary<string, long> Positions, TimeSpan Duration);
