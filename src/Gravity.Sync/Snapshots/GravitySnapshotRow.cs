namespace Gravity.Sync.Snapshots;

/// <summary>One row of a snapshot.</summary>
/// <param name="Values">
/// The values by column name: every key column, and the other columns (a missing one is written as NULL). Values are
/// converted to the column's type as they would be from an event (numbers, text, booleans, <see cref="DateTime"/> or
/// <see cref="DateTimeOffset"/>, JSON text).
/// </param>
/// <param name="Position">
/// The source position of the event that last wrote the row, or 0 when unknown; it becomes the row's guard, so no
/// event older than it overwrites the row.
/// </param>
public sealed record GravitySnapshotRow(IReadOnlyDictionary<string, object?> Values, long Position = 0);
