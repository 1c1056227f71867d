using System.Globalization;
using System.Text;

namespace Twist.Bench;

internal static class MarkdownReport
{
    public static string Render(IReadOnlyList<ScenarioResult> results, Func<ScenarioResult, double> ratioToReference, BenchOptions options)
    {
        var s = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        // With --scenarios the first row may not be the baseline; the ratio column then names the row it divides by.
        var reference = results.Count == 0 || results[0].Name.StartsWith("baseline", StringComparison.Ordinal) ? "baseline" : results[0].Name;
        s.AppendLine(ci, $"| scenario | transfers/s | ratio to {reference} | p50 ms | p99 ms | CPU ms / transfer | KiB allocated / transfer | transfers | errors |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            s.AppendLine(ci, $"| {r.Name} | {r.PerSecond:0.0} | {ratioToReference(r):0.00}× | {r.P50Ms:0.00} | {r.P99Ms:0.00} | {r.CpuMsPerTransfer:0.000} | {r.KiBPerTransfer:0.0} | {r.Transfers} | {r.Errors} |");
        }

        s.AppendLine();
        s.AppendLine(ci, $"Concurrency {options.Concurrency}{(options.GateWrites ? ", participants queue their SQLite writes in-process (--gate-writes)" : "")}; {options.Rounds} interleaved rounds (every other one in reverse order, after an unmeasured warm-up pass), each scenario {options.Warmup.TotalSeconds:0} s warm-up + {options.Duration.TotalSeconds:0} s measured per round; the median round is shown (errors are summed over all rounds), and the ratio is the median of the per-round ratios. CPU ms / transfer is the benchmark process's CPU time (all threads) over the measured seconds divided by the transfers, and KiB allocated / transfer the managed bytes it allocated over them; a hosted coordinator's own process is not in it. {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}.");
        return s.ToString();
    }
}
