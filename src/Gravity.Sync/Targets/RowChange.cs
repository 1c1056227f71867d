namespace Gravity.Sync.Targets;

/// <summary>One row to write, already mapped and converted to the column types.</summary>
public sealed class RowChange
{
    /// <summary>Gets the table.</summary>
    public required TableSchema Table { get; init; }

    /// <summary>Gets how the row is written.</summary>
    public required RowChangeKind Kind { get; init; }

    /// <summary>Gets the source position of the event; stored with the row so an older event never overwrites a newer row.</summary>
    public required long Position { get; init; }

    /// <summary>Gets the columns written (for deletes, the key columns).</summary>
    public required IReadOnlyList<ColumnSchema> Columns { get; init; }

    /// <summary>Gets the values, aligned with <see cref="Columns"/>; <see langword="null"/> writes SQL NULL.</summary>
    public required IReadOnlyList<object?> Values { get; init; }

    /// <summary>Gets a string that is equal for changes with the same table, kind and columns, so they can share one multi-row statement.</summary>
    public required string Shape { get; init; }
}
