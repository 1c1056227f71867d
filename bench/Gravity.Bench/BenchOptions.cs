using System.Globalization;

namespace Gravity.Bench;

/// <summary>Command-line options; every one has a default, so the bench runs with none.</summary>
internal sealed record BenchOptions(int Events, int Rounds, int BatchRows, int? Partitions, string[] Targets, string[] Distributions, TimeSpan CheckpointInterval, string[] Sides, string? Output, int WarmupEvents)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        string[] List(string name, string fallback) =>
            (Value(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var options = new BenchOptions(
            int.Parse(Value("--events") ?? "200000", CultureInfo.InvariantCulture),
            int.Parse(Value("--rounds") ?? "3", CultureInfo.InvariantCulture),
            int.Parse(Value("--batch") ?? "500", CultureInfo.InvariantCulture),
            Value("--partitions") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : null,
            List("--targets", "sqlite,postgres"),
            List("--distributions", "new,hot"),
            TimeSpan.FromMilliseconds(double.Parse(Value("--checkpoint-ms") ?? "100", CultureInfo.InvariantCulture)),
            List("--sides", "gravity,baseline,same"),
            Value("--out"),
            0);
        // The warm-up must be long enough for tiered compilation to finish (about 30 calls of a method, then a short
        // delay, then the optimised compile): 1/40 of the events left seconds of JIT inside the first measured runs.
        options = options with { WarmupEvents = Value("--warmup") is { } w ? int.Parse(w, CultureInfo.InvariantCulture) : Math.Max(1000, options.Events / 4) };
        if (options.Events < 1000 || options.Rounds < 1 || options.BatchRows < 1 || options.WarmupEvents < 1000)
        {
            throw new ArgumentException("--events and --warmup must be at least 1000, --rounds and --batch at least 1.");
        }

        if (options.Sides.Except(["gravity", "baseline", "same"]).FirstOrDefault() is { } side)
        {
            throw new ArgumentException($"Unknown side \"{side}\"; use gravity, baseline (multi-row upserts) or same (Gravity's statement technique, hand-written).");
        }

        foreach (var d in options.Distributions)
        {
            _ = Workload.Describe(d); // unknown names fail here, before minutes of seeding
        }

        return options;
    }
}
