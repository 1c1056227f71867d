using System.Text;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;

namespace Gravity.Sync.Engine;

/// <summary>A rule bound to the table it writes, with each mapped field resolved to its column once, at start-up.</summary>
internal sealed class CompiledRule
{
    public CompiledRule(ProjectionRule rule, TableSchema table)
    {
        Rule = rule;
        Table = table;
        Keys = [.. rule.KeySources.Zip(rule.KeyColumns, (source, column) => (source, Column(table, column)))];
        Values = [.. rule.Mapping.Where(m => !m.Primary && !rule.KeyColumns.Contains(m.Target, StringComparer.Ordinal)).Select(m => (m.Source, Column(table, m.Target)))];
        KeyColumnSchemas = [.. Keys.Select(k => k.Column)];
        Kind = rule.Method switch
        {
            ProjectionMethod.Insert => RowChangeKind.Insert,
            ProjectionMethod.Delete => RowChangeKind.Delete,
            _ => RowChangeKind.Upsert,
        };
        FullColumns = Kind == RowChangeKind.Delete ? KeyColumnSchemas : [.. KeyColumnSchemas, .. Values.Select(v => v.Column)];
        FullShape = Shape(table, Kind, FullColumns);
    }

    private long _rowsApplied;
    private long _rowsParked;
    private long _lastAppliedAtMs = long.MinValue;

    public ProjectionRule Rule { get; }

    /// <summary>Gets the row changes this rule committed since the synchronizer started, in every partition.</summary>
    public long RowsApplied => Interlocked.Read(ref _rowsApplied);

    /// <summary>Gets the row changes of this rule held back (parked or dead letters) since the synchronizer started.</summary>
    public long RowsParked => Interlocked.Read(ref _rowsParked);

    /// <summary>Gets when a batch last committed a row change of this rule, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastAppliedAt => Interlocked.Read(ref _lastAppliedAtMs) is var ms && ms == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public TableSchema Table { get; }

    /// <summary>Gets the key fields and their columns, in key order.</summary>
    public IReadOnlyList<(string Source, ColumnSchema Column)> Keys { get; }

    /// <summary>Gets the mapped non-key fields and their columns (empty for pass-through rules).</summary>
    public IReadOnlyList<(string Source, ColumnSchema Column)> Values { get; }

    public IReadOnlyList<ColumnSchema> KeyColumnSchemas { get; }

    /// <summary>Gets how the rule writes rows.</summary>
    public RowChangeKind Kind { get; }

    /// <summary>Gets the columns a change writes when the payload has every mapped field: the keys, then the mapped fields in order.</summary>
    public IReadOnlyList<ColumnSchema> FullColumns { get; }

    /// <summary>Gets the <see cref="RowChange.Shape"/> of such a change, built once rather than for every event.</summary>
    public string FullShape { get; }

    /// <summary>The text that is equal for changes that can share one statement: table, kind and columns.</summary>
    public static string Shape(TableSchema table, RowChangeKind kind, IEnumerable<ColumnSchema> columns)
    {
        var shape = new StringBuilder(table.Name).Append('|').Append((int)kind);
        foreach (var column in columns)
        {
            shape.Append('|').Append(column.Name);
        }

        return shape.ToString();
    }

    private static ColumnSchema Column(TableSchema table, string name) =>
        table.TryGetColumn(name, out var column) ? column : throw new InvalidOperationException($"Table \"{table.Name}\" has no column \"{name}\" after preparation.");

    /// <summary>Counts <paramref name="rows"/> row changes committed at <paramref name="at"/>; partitions commit concurrently.</summary>
    public void CountApplied(int rows, DateTimeOffset at)
    {
        Interlocked.Add(ref _rowsApplied, rows);
        Interlocked.Exchange(ref _lastAppliedAtMs, at.ToUnixTimeMilliseconds());
    }

    public void CountParked(int rows) => Interlocked.Add(ref _rowsParked, rows);

}
