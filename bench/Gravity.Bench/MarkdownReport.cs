using System.Globalization;
using System.Text;

namespace Gravity.Bench;

/// <summary>The rates of one target and distribution over every round.</summary>
internal sealed record CaseResult(string Target, string Distribution, int Events, int DistinctKeys, List<double> Sync, List<double> Baseline, List<double> Same)
{
    public double SyncMedian => Median(Sync);

    public double BaselineMedian => Median(Baseline);

    public double SameMedian => Median(Same);

    public static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return double.NaN; // a side left out with --sides
        }

        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}

internal static class MarkdownReport
{
    public static string Render(IReadOnlyList<CaseResult> results, BenchOptions options)
    {
        var s = new StringBuilder();
        var ci = CultureInfo.InvariantCulture;
        s.AppendLine("| target | keys | Gravity events/s | baseline: multi-row upserts | Gravity ÷ baseline | baseline: Gravity's statements | Gravity ÷ that |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            string Ratios(List<double> baseline) => string.Join(", ", r.Sync.Zip(baseline, (a, b) => (a / b).ToString("0.00", ci) + "×"));
            s.AppendLine(ci, $"| {r.Target} | {r.Distribution} ({r.DistinctKeys:N0} keys) | {r.SyncMedian:N0} | {r.BaselineMedian:N0} | **{r.SyncMedian / r.BaselineMedian:0.00}×** ({Ratios(r.Baseline)}) | {r.SameMedian:N0} | **{r.SyncMedian / r.SameMedian:0.00}×** ({Ratios(r.Same)}) |");
        }

        s.AppendLine();
        s.AppendLine(ci, $"{options.Events:N0} UserAdded events per run; {options.Rounds} rounds, the order of the three runs reversed every other round; medians shown, per-round ratios in brackets. Batch {options.BatchRows} rows, partitions {(options.Partitions?.ToString(ci) ?? "default (SQLite 1, PostgreSQL 4)")}, checkpoint interval {options.CheckpointInterval.TotalMilliseconds:0} ms. {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}.");
        return s.ToString();
    }
}
