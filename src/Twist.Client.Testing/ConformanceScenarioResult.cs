namespace Twist.Testing;

/// <summary>The result of one scenario.</summary>
/// <param name="Scenario">The scenario.</param>
/// <param name="Outcome">Passed, failed or skipped.</param>
/// <param name="Summary">What the scenario replays, or why it was skipped.</param>
/// <param name="Problems">What the participant got wrong, one sentence each; empty when it passed.</param>
/// <param name="Steps">What the kit sent and what it got back, in order, for diagnosis.</param>
public sealed record ConformanceScenarioResult(
    ConformanceScenarios Scenario, ConformanceOutcome Outcome, string Summary, IReadOnlyList<string> Problems, IReadOnlyList<string> Steps);
