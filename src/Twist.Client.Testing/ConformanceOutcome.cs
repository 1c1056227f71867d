namespace Twist.Testing;

/// <summary>How one scenario ended.</summary>
public enum ConformanceOutcome
{
    /// <summary>Every check held.</summary>
    Passed,

    /// <summary>At least one check failed; <see cref="ConformanceScenarioResult.Problems"/> says which.</summary>
    Failed,

    /// <summary>Not run: it needs an option that was not given (<see cref="ConformanceScenarioResult.Summary"/> says which).</summary>
    Skipped,
}
