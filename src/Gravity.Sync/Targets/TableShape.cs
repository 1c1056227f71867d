namespace Gravity.Sync.Targets;

/// <summary>A table as a dialect reads it from the database catalogue: column names and types, and its unique keys.</summary>
/// <param name="Columns">The columns and their database type names.</param>
/// <param name="UniqueKeys">The primary key and unique indexes, each as its column list.</param>
public sealed record TableShape(IReadOnlyList<(string Name, string DbType)> Columns, IReadOnlyList<IReadOnlyList<string>> UniqueKeys);
