namespace Gravity.Sync.Rules;

/// <summary>
/// The validated rule model: resolved projection rules, the databases they write to and the exporters they name.
/// Built by <see cref="GravityRuleSetBuilder"/> from rules.json + databases.json (<see cref="GravityRuleFiles"/>) or
/// from declarations made in code; both end up here.
/// </summary>
public sealed class GravityRuleSet
{
    private readonly Dictionary<string, ProjectionRule[]> _byEvent;

    internal GravityRuleSet(IReadOnlyList<ProjectionRule> rules, IReadOnlyDictionary<string, DatabaseDefinition> databases, IReadOnlyDictionary<string, ExporterDefinition> exporters)
    {
        Rules = rules;
        Databases = databases;
        Exporters = exporters;
        _byEvent = rules.GroupBy(r => r.Event, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Gets the resolved rules, in declaration order.</summary>
    public IReadOnlyList<ProjectionRule> Rules { get; }

    /// <summary>Gets the databases by name.</summary>
    public IReadOnlyDictionary<string, DatabaseDefinition> Databases { get; }

    /// <summary>Gets the exporters by name.</summary>
    public IReadOnlyDictionary<string, ExporterDefinition> Exporters { get; }

    /// <summary>Gets the names of the databases at least one rule writes to.</summary>
    public IEnumerable<string> UsedDatabases => Rules.Select(r => r.Database).Distinct(StringComparer.Ordinal);

    /// <summary>Gets the rules that fire for an event (every rule whose event matches fires).</summary>
    /// <param name="eventName">The event name.</param>
    /// <returns>The rules, possibly none.</returns>
    public IReadOnlyList<ProjectionRule> RulesFor(string eventName) =>
        _byEvent.TryGetValue(eventName, out var rules) ? rules : [];
}
