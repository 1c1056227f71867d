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
    }

    public ProjectionRule Rule { get; }

    public TableSchema Table { get; }

    /// <summary>Gets the key fields and their columns, in key order.</summary>
    public IReadOnlyList<(string Source, ColumnSchema Column)> Keys { get; }

    /// <summary>Gets the mapped non-key fields and their columns (empty for pass-through rules).</summary>
    public IReadOnlyList<(string Source, ColumnSchema Column)> Values { get; }

    public IReadOnlyList<ColumnSchema> KeyColumnSchemas { get; }

    private static ColumnSchema Column(TableSchema table, string name) =>
        table.TryGetColumn(name, out var column) ? column : throw new InvalidOperationException($"Table \"{table.Name}\" has no column \"{name}\" after preparation.");
}
