using System.Globalization;
using System.Text;

namespace Twist.Bench;

internal static class MarkdownReport
{
    public static string Render(IReadOnlyList<ScenarioResult> results, double baselineRate, BenchOptions options)
    {
        var s = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        // With --scenarios the first row may not be the baseline; the ratio column then names the row it divides by.
        var reference = results.Count == 0 || results[0].Name.StartsWith("baseline", StringComparison.Ordinal) ? "baseline" : results[0].Name;
        s.AppendLine(ci, $"| scenario | transfers/s | ratio to {reference} | p50 ms | p99 ms | CPU ms / transfer | transfers | errors |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            s.AppendLine(ci, $"| {r.Name} | {r.PerSecond:0.0} | {r.PerSecond / baselineRate:0.00}× | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.CpuMsPerTransfer:0.000} | {r.Transfers} | {r.Errors} |");
        }

        s.AppendLine();
        s.AppendLine(ci, $"Concurrency {options.Concurrency}; {options.Rounds} interleaved rounds, each scenario {options.Warmup.TotalSeconds:0} s warm-up + {options.Duration.TotalSeconds:0} s measured per round; the median round is shown (errors are summed over all rounds). CPU ms / transfer is the benchmark process's CPU time (all threads) over the measured seconds divided by the transfers; a hosted coordinator's own process is not in it. {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}.");
        return s.ToString();
    }
}
