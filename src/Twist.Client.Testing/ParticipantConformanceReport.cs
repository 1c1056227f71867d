using System.Globalization;
using System.Text;

namespace Twist.Testing;

/// <summary>What <see cref="ParticipantConformanceKit.RunAsync"/> found: one result per scenario, printable as a readable report.</summary>
/// <param name="participant">The participant's Try endpoint, for the report's title.</param>
/// <param name="scenarios">The results, in the order they ran.</param>
public sealed class ParticipantConformanceReport(Uri participant, IReadOnlyList<ConformanceScenarioResult> scenarios)
{
    /// <summary>Gets the participant's Try endpoint.</summary>
    public Uri Participant { get; } = participant;

    /// <summary>Gets the results, in the order the scenarios ran.</summary>
    public IReadOnlyList<ConformanceScenarioResult> Scenarios { get; } = scenarios;

    /// <summary>Gets a value indicating whether no scenario failed (skipped ones do not count).</summary>
    public bool Passed => Scenarios.All(s => s.Outcome != ConformanceOutcome.Failed);

    /// <summary>Gets the failed scenarios.</summary>
    public IReadOnlyList<ConformanceScenarioResult> Failures => [.. Scenarios.Where(s => s.Outcome == ConformanceOutcome.Failed)];

    /// <summary>Gets the result of one scenario.</summary>
    /// <param name="scenario">A single scenario.</param>
    /// <returns>Its result.</returns>
    /// <exception cref="KeyNotFoundException">The scenario did not run.</exception>
    public ConformanceScenarioResult this[ConformanceScenarios scenario] =>
        Scenarios.FirstOrDefault(s => s.Scenario == scenario) ?? throw new KeyNotFoundException($"The scenario {scenario} did not run; select it in ParticipantConformanceOptions.Scenarios.");

    /// <summary>Throws when a scenario failed, with this report as the message: the assertion for any test framework.</summary>
    /// <exception cref="ParticipantConformanceException">A scenario failed.</exception>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new ParticipantConformanceException(this);
        }
    }

    /// <summary>Formats the report: a title, one line per scenario, and for each failure its problems and the steps that led there.</summary>
    /// <returns>The report.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"Twist participant conformance of {Participant}: {Count(ConformanceOutcome.Passed)} passed, {Count(ConformanceOutcome.Failed)} failed, {Count(ConformanceOutcome.Skipped)} skipped").AppendLine();
        foreach (var scenario in Scenarios)
        {
            var label = scenario.Outcome switch
            {
                ConformanceOutcome.Passed => "PASS",
                ConformanceOutcome.Failed => "FAIL",
                _ => "SKIP",
            };
            text.Append(CultureInfo.InvariantCulture, $"  {label}  {scenario.Scenario,-21} {scenario.Summary}").AppendLine();
            if (scenario.Outcome != ConformanceOutcome.Failed)
            {
                continue;
            }

            foreach (var problem in scenario.Problems)
            {
                text.Append("        - ").AppendLine(problem);
            }

            text.AppendLine("        steps:");
            foreach (var step in scenario.Steps)
            {
                text.Append("          ").AppendLine(step);
            }
        }

        return text.ToString();
    }

    private int Count(ConformanceOutcome outcome) => Scenarios.Count(s => s.Outcome == outcome);
}
