namespace Gravity.Sync.Operations;

/// <summary>Names a parked key: a row of one table in one database.</summary>
/// <param name="Database">The database name.</param>
/// <param name="Table">The table.</param>
/// <param name="Key">The row key as a JSON array (as listed), or <see langword="null"/> for the table's dead letters.</param>
public sealed record ParkedKey(string Database, string Table, string? Key);
