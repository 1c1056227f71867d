using System.Globalization;

namespace Twist.Testing.Internal;

/// <summary>One scenario while it runs: the steps it took, the problems it found, and the measures' baseline.</summary>
internal sealed class ScenarioRun(ConformanceScenarios scenario, string summary, IList<ConformanceMeasure> measures, CancellationToken cancellationToken)
{
    private readonly List<string> steps = [];
    private readonly List<string> problems = [];
    private readonly Dictionary<string, decimal> baseline = new(StringComparer.Ordinal);
    private int transactions;

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>A new transaction id for this scenario: unique, and well-formed for every participant (letters, digits, '-').</summary>
    public string NewTid()
    {
        var n = ++transactions;
        var tid = $"conformance-{scenario.ToString().ToLowerInvariant()}-{n.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}";
        return tid.Length > 64 ? tid[..64] : tid;
    }

    public PhaseCall Step(PhaseCall call)
    {
        steps.Add(call.ToString());
        return call;
    }

    public void Note(string text) => steps.Add(text);

    public void Problem(string text) => problems.Add(text);

    /// <summary>Reads every measure as the scenario's starting point.</summary>
    public async Task StartAsync()
    {
        foreach (var measure in measures)
        {
            baseline[measure.Name] = await measure.ReadAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Checks that each measure moved by exactly <paramref name="confirmed"/> confirmed transactions since the start.</summary>
    public async Task ExpectEffectsAsync(int confirmed, string when)
    {
        foreach (var measure in measures)
        {
            var now = await measure.ReadAsync(cancellationToken).ConfigureAwait(false);
            var change = now - baseline[measure.Name];
            var expected = measure.ConfirmedChange * confirmed;
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"{measure.Name} changed by {change} {when} (expected {expected})"));
            if (change != expected)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{when}, '{measure.Name}' changed by {change}; {confirmed} confirmed transaction(s) should change it by {expected}{Explain(change, expected, measure.ConfirmedChange)}."));
            }
        }
    }

    public ConformanceScenarioResult Result() =>
        new(scenario, problems.Count == 0 ? ConformanceOutcome.Passed : ConformanceOutcome.Failed, summary, [.. problems], [.. steps]);

    private static string Explain(decimal change, decimal expected, decimal perConfirm)
    {
        // Name the likely cause only when the difference is a few whole Confirms; anything else is a reservation gone wrong.
        if (perConfirm != 0 && (change - expected) % perConfirm == 0 && Math.Abs((change - expected) / perConfirm) <= 10)
        {
            var extra = (change - expected) / perConfirm;
            return extra > 0
                ? string.Create(CultureInfo.InvariantCulture, $" (as if Confirm was applied {extra} more time(s))")
                : string.Create(CultureInfo.InvariantCulture, $" (as if {-extra} Confirm(s) were lost or undone)");
        }

        return " (a reservation was left open, or released twice, or released without being held)";
    }
}
