using Gravity.Sync.Rules;

namespace Gravity.Sync.Targets;

/// <summary>A view table as found (or created) in a database: the columns Gravity may write, with their types.</summary>
public sealed class TableSchema
{
    private readonly Dictionary<string, ColumnSchema> _byName;

    /// <summary>Initializes a new instance of the <see cref="TableSchema"/> class.</summary>
    /// <param name="name">The table name.</param>
    /// <param name="columns">The writable columns (keys included, Gravity's position column excluded).</param>
    public TableSchema(string name, IReadOnlyList<ColumnSchema> columns)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(columns);
        Name = name;
        Columns = columns;
        KeyColumns = [.. columns.Where(c => c.IsKey)];
        _byName = columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
    }

    /// <summary>Gets the table name.</summary>
    public string Name { get; }

    /// <summary>Gets the writable columns.</summary>
    public IReadOnlyList<ColumnSchema> Columns { get; }

    /// <summary>Gets the key columns.</summary>
    public IReadOnlyList<ColumnSchema> KeyColumns { get; }

    /// <summary>Looks a column up by name.</summary>
    /// <param name="name">The column name (case-sensitive).</param>
    /// <param name="column">The column, when found.</param>
    /// <returns>Whether the table has the column.</returns>
    public bool TryGetColumn(string name, out ColumnSchema column) => _byName.TryGetValue(name, out column!);
}

/// <summary>One writable column of a view table.</summary>
/// <param name="Name">The column name.</param>
/// <param name="Type">The logical type values are converted to.</param>
/// <param name="DbType">The database's own type name, e.g. <c>jsonb</c>.</param>
/// <param name="IsKey">Whether the column is part of the row key.</param>
public sealed record ColumnSchema(string Name, ColumnType Type, string DbType, bool IsKey);
