using System.Globalization;
using System.Text;

namespace Twist.Bench;

internal static class MarkdownReport
{
    public static string Render(IReadOnlyList<ScenarioResult> results, double baselineRate, BenchOptions options)
    {
        var s = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        s.AppendLine(ci, $"| scenario | transfers/s | ratio to baseline | p50 ms | p99 ms | transfers | errors |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            s.AppendLine(ci, $"| {r.Name} | {r.PerSecond:0.0} | {r.PerSecond / baselineRate:0.00}× | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.Transfers} | {r.Errors} |");
        }

        s.AppendLine();
        s.AppendLine(ci, $"Concurrency {options.Concurrency}, {options.Warmup.TotalSeconds:0} s warm-up and {options.Duration.TotalSeconds:0} s measured per scenario, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}. Baseline rate for the ratios: mean of the two baseline runs, {baselineRate:0.0}/s.");
        return s.ToString();
    }
}
