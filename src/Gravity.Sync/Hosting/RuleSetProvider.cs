using Gravity.Sync.Rules;
using Microsoft.Extensions.Options;

namespace Gravity.Sync.Hosting;

/// <summary>
/// Supplies the rule set at start-up: the one given in code (<c>UseRules</c>), or one model built from the files named
/// in the options plus the declarations and databases added in code (<c>AddGeneratedProjections</c>,
/// <c>AddRuleDeclarations</c>, <c>AddDatabaseDefinition</c>). Exporters declared in code (<c>AddNatsExporter</c>,
/// <c>AddKafkaExporter</c>, ...) join the files' exporters; exporter.json keeps its own entry of the same name, and the
/// two must agree on the type.
/// </summary>
internal sealed class RuleSetProvider(
    IOptions<GravitySyncOptions> options,
    IEnumerable<RuleSetRegistration> registrations,
    IEnumerable<ExporterDeclaration> exporters,
    IEnumerable<RuleDeclarationRegistration> declarations,
    IEnumerable<DatabaseDeclaration> databases)
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
        var declared = declarations.SelectMany(d => d.Declarations).ToList();
        if (registrations.LastOrDefault() is { } registration)
        {
            if (declared.Count > 0 || databases.Any())
            {
                // UseRules gives a finished model; silently dropping the attribute rules would leave views unwritten.
                throw new GravityRulesException(
                    $"UseRules(...) gives the complete rule set, so the {(declared.Count > 0 ? $"{declared.Count} rule declaration(s) added with AddGeneratedProjections()/AddRuleDeclarations(...)" : "databases added with AddDatabaseDefinition(...)")} would be ignored; "
                    + "add them to the GravityRuleSetBuilder that builds that set instead (builder.AddGeneratedProjections(), builder.AddDatabase(...)).");
            }

            var missing = exporters.Where(e => !registration.RuleSet.Exporters.ContainsKey(e.Definition.Name)).ToList();
            if (missing.Count == 0)
            {
                return registration.RuleSet;
            }

            var merged = new Dictionary<string, ExporterDefinition>(registration.RuleSet.Exporters, StringComparer.Ordinal);
            foreach (var exporter in missing)
            {
                merged.TryAdd(exporter.Definition.Name, exporter.Definition);
            }

            return new GravityRuleSet(registration.RuleSet.Rules, registration.RuleSet.Databases, merged);
        }

        var o = options.Value;
        if (o.RulesFiles.Count == 0 && declared.Count == 0)
        {
            throw new GravityRulesException($"No rules: set {GravitySyncOptions.SectionName}:RulesFiles (rules.json files), call AddGeneratedProjections() for [Projection] event types, or call UseRules(...) on the Gravity builder.");
        }

        return GravityRuleFiles.Load(o.RulesFiles, o.DatabasesFile, o.ExportersFile, builder =>
        {
            builder.DefaultDatabase = o.DefaultDatabase;
            var errors = new List<string>();
            foreach (var database in databases)
            {
                if (!builder.TryAddDatabase(database.Definition))
                {
                    errors.Add($"Database \"{database.Definition.Name}\" is declared both in {o.DatabasesFile ?? "databases.json"} and with AddDatabaseDefinition(...); keep one of them.");
                }
            }

            if (errors.Count > 0)
            {
                throw new GravityRulesException(errors);
            }

            foreach (var exporter in exporters)
            {
                builder.TryAddExporter(exporter.Definition);
            }

            builder.AddRules(declared);
        });
    }
}

/// <summary>A rule set given in code.</summary>
internal sealed record RuleSetRegistration(GravityRuleSet RuleSet);

/// <summary>An exporter declared in code, so rules can name it without an exporter.json entry.</summary>
internal sealed record ExporterDeclaration(ExporterDefinition Definition);

/// <summary>Rule declarations added in code (the generated ones of <c>[Projection]</c> types among them), merged with rules.json.</summary>
internal sealed record RuleDeclarationRegistration(IReadOnlyList<RuleDeclaration> Declarations);

/// <summary>A database declared in code, so rules can name it without a databases.json entry.</summary>
internal sealed record DatabaseDeclaration(DatabaseDefinition Definition);
