namespace Gravity.Sync.Rules;

/// <summary>
/// A resolved rule: events named <see cref="Event"/> are written to <see cref="Table"/> in one
/// <see cref="Database"/>. A declaration that names two databases becomes two projection rules.
/// </summary>
public sealed class ProjectionRule
{
    /// <summary>Gets the event name.</summary>
    public required string Event { get; init; }

    /// <summary>Gets the view table.</summary>
    public required string Table { get; init; }

    /// <summary>Gets the method.</summary>
    public required ProjectionMethod Method { get; init; }

    /// <summary>Gets the column mapping; empty means pass-through (every payload field whose name is a column of the existing table).</summary>
    public required IReadOnlyList<ColumnMapping> Mapping { get; init; }

    /// <summary>Gets the key columns, in key order.</summary>
    public required IReadOnlyList<string> KeyColumns { get; init; }

    /// <summary>Gets the key fields of the payload, aligned with <see cref="KeyColumns"/>.</summary>
    public required IReadOnlyList<string> KeySources { get; init; }

    /// <summary>Gets the database the rule writes to.</summary>
    public required string Database { get; init; }

    /// <summary>Gets the exporters that announce each event applied by this rule.</summary>
    public required IReadOnlyList<string> Exporters { get; init; }

    /// <summary>Gets where the rule was declared.</summary>
    public required RuleOrigin Origin { get; init; }

    /// <summary>Gets a value indicating whether every payload field passes through (no mapping).</summary>
    public bool IsPassThrough => Mapping.Count == 0;

    /// <summary>Describes the rule for messages: origin, event and table.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"{Origin} (event \"{Event}\", table \"{Table}\", database \"{Database}\")";
}
