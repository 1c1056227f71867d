namespace Twist.Bench;

/// <summary>
/// Ratios of one scenario to another taken round by round (both measured minutes apart at most), then the median: drift
/// across the run, which moves both scenarios of a round together, cancels out of each ratio.
/// </summary>
internal static class RoundRatios
{
    public static double Median(IReadOnlyList<ScenarioResult> scenario, IReadOnlyList<ScenarioResult> reference) =>
        Median(scenario, reference, r => r.PerSecond);

    public static double Median(IReadOnlyList<ScenarioResult> scenario, IReadOnlyList<ScenarioResult> reference, Func<ScenarioResult, double> measure)
    {
        var ratios = scenario.Zip(reference, (s, r) => measure(s) / measure(r)).Order().ToArray();
        return ratios.Length == 0 ? double.NaN
            : ratios.Length % 2 == 1 ? ratios[ratios.Length / 2]
            : (ratios[(ratios.Length / 2) - 1] + ratios[ratios.Length / 2]) / 2;
    }

    /// <summary>Each round's ratio, for the reader to see the spread behind the median.</summary>
    public static string Each(IReadOnlyList<ScenarioResult> scenario, IReadOnlyList<ScenarioResult> reference) =>
        string.Join(", ", scenario.Zip(reference, (s, r) => (s.PerSecond / r.PerSecond).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
}
