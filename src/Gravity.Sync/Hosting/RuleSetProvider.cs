using Gravity.Sync.Rules;
using Microsoft.Extensions.Options;

namespace Gravity.Sync.Hosting;

/// <summary>
/// Supplies the rule set at start-up: the one given in code, or the files named in the options. Exporters declared in
/// code (<c>AddNatsExporter</c>, <c>AddKafkaExporter</c>, ...) join the files' exporters; exporter.json keeps its own
/// entry of the same name, and the two must agree on the type.
/// </summary>
internal sealed class RuleSetProvider(IOptions<GravitySyncOptions> options, IEnumerable<RuleSetRegistration> registrations, IEnumerable<ExporterDeclaration> exporters)
{
    public GravityRuleSet Load()
    {
        var ruleSet = LoadRules();
        var errors = new List<string>();
        foreach (var declared in exporters)
        {
            if (ruleSet.Exporters.TryGetValue(declared.Definition.Name, out var existing) && !string.Equals(existing.Type, declared.Definition.Type, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{existing.File ?? "exporters"}: exporter.{existing.Name}: type \"{existing.Type}\" differs from \"{declared.Definition.Type}\", the type it was registered with in code; rename one of them.");
            }
        }

        return errors.Count > 0 ? throw new GravityRulesException(errors) : ruleSet;
    }

    private GravityRuleSet LoadRules()
    {
        if (registrations.LastOrDefault() is { } registration)
        {
            var missing = exporters.Where(e => !registration.RuleSet.Exporters.ContainsKey(e.Definition.Name)).ToList();
            if (missing.Count == 0)
            {
                return registration.RuleSet;
            }

            var merged = new Dictionary<string, ExporterDefinition>(registration.RuleSet.Exporters, StringComparer.Ordinal);
            foreach (var declared in missing)
            {
                merged.TryAdd(declared.Definition.Name, declared.Definition);
            }

            return new GravityRuleSet(registration.RuleSet.Rules, registration.RuleSet.Databases, merged);
        }

        var o = options.Value;
        if (o.RulesFiles.Count == 0)
        {
            throw new GravityRulesException($"No rules: set {GravitySyncOptions.SectionName}:RulesFiles (rules.json files) or call UseRules(...) on the Gravity builder.");
        }

        return GravityRuleFiles.Load(o.RulesFiles, o.DatabasesFile, o.ExportersFile, builder =>
        {
            builder.DefaultDatabase = o.DefaultDatabase;
            foreach (var declared in exporters)
            {
                builder.TryAddExporter(declared.Definition);
            }
        });
    }
}

/// <summary>A rule set given in code.</summary>
internal sealed record RuleSetRegistration(GravityRuleSet RuleSet);

/// <summary>An exporter declared in code, so rules can name it without an exporter.json entry.</summary>
internal sealed record ExporterDeclaration(ExporterDefinition Definition);
