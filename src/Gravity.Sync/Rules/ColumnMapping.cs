namespace Gravity.Sync.Rules;

/// <summary>Copies one event field into one view column (a <c>mapping</c> entry of rules.json).</summary>
/// <param name="Source">The name of the event payload field.</param>
/// <param name="Target">The name of the view column.</param>
/// <param name="Primary">Whether the column is part of the row key (composite keys have several).</param>
/// <param name="Type">
/// The column type; <see langword="null"/> means the existing column's type, or <see cref="ColumnType.String"/> when
/// Gravity creates the table.
/// </param>
public sealed record ColumnMapping(string Source, string Target, bool Primary = false, ColumnType? Type = null);
