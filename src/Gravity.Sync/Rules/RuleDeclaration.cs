namespace Gravity.Sync.Rules;

/// <summary>
/// One rule as declared (an entry of rules.json, or an attribute on an event type), before it is resolved into
/// <see cref="ProjectionRule"/>s. A declaration without <see cref="Table"/> only attaches databases and exporters to
/// the other rules of the same event.
/// </summary>
public sealed class RuleDeclaration
{
    /// <summary>Gets the event name the rule reacts to.</summary>
    public required string Event { get; init; }

    /// <summary>Gets the view table, or <see langword="null"/> for a rule that only attaches databases and exporters.</summary>
    public string? Table { get; init; }

    /// <summary>Gets the method; <see langword="null"/> means <see cref="ProjectionMethod.Upsert"/>.</summary>
    public ProjectionMethod? Method { get; init; }

    /// <summary>Gets the column mapping; <see langword="null"/> or empty means every field passes through to the column of the same name.</summary>
    public IReadOnlyList<ColumnMapping>? Mapping { get; init; }

    /// <summary>Gets the key fields named at rule level (the original Gravity's <c>primaryKey</c>), used when <see cref="Mapping"/> marks none.</summary>
    public IReadOnlyList<string>? PrimaryKey { get; init; }

    /// <summary>Gets the databases the rule writes to; empty means those attached to the event, or the default database.</summary>
    public IReadOnlyList<string> Databases { get; init; } = [];

    /// <summary>Gets the exporters that announce each applied event.</summary>
    public IReadOnlyList<string> Exporters { get; init; } = [];

    /// <summary>Gets where the rule was declared.</summary>
    public required RuleOrigin Origin { get; init; }
}
