using Gravity.Sync.Rules;

namespace Gravity.Sync.Targets;

/// <summary>What the rules need from one table of one database: its key, its mapped columns and their declared types.</summary>
public sealed class TableRequirement
{
    /// <summary>Gets the table name.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the key columns, in key order.</summary>
    public required IReadOnlyList<string> KeyColumns { get; init; }

    /// <summary>Gets the columns the rules write (keys included) with their declared types (<see langword="null"/> when a rule gives none).</summary>
    public required IReadOnlyList<(string Name, ColumnType? Type)> Columns { get; init; }

    /// <summary>Gets a value indicating whether only pass-through rules write the table, so it must already exist (its columns are the mapping).</summary>
    public bool MustExist { get; init; }

    /// <summary>Gets a value indicating whether some rule passes fields through, so every existing column is writable.</summary>
    public bool PassThrough { get; init; }

    /// <summary>Gets the rules that write the table, for error messages.</summary>
    public required IReadOnlyList<ProjectionRule> Rules { get; init; }
}
