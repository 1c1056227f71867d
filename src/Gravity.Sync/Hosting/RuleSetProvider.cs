using Gravity.Sync.Rules;
using Microsoft.Extensions.Options;

namespace Gravity.Sync.Hosting;

/// <summary>Supplies the rule set at start-up: the one given in code, or the files named in the options.</summary>
internal sealed class RuleSetProvider(IOptions<GravitySyncOptions> options, IEnumerable<RuleSetRegistration> registrations)
{
    public GravityRuleSet Load()
    {
        if (registrations.LastOrDefault() is { } registration)
        {
            return registration.RuleSet;
        }

        var o = options.Value;
        if (o.RulesFiles.Count == 0)
        {
            throw new GravityRulesException($"No rules: set {GravitySyncOptions.SectionName}:RulesFiles (rules.json files) or call UseRules(...) on the Gravity builder.");
        }

        return GravityRuleFiles.Load(o.RulesFiles, o.DatabasesFile, o.ExportersFile, builder => builder.DefaultDatabase = o.DefaultDatabase);
    }
}

/// <summary>A rule set given in code.</summary>
internal sealed record RuleSetRegistration(GravityRuleSet RuleSet);
