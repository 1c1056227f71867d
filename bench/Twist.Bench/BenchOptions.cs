using System.Globalization;

namespace Twist.Bench;

internal sealed record BenchOptions(int Concurrency, TimeSpan Warmup, TimeSpan Duration, int Rounds, string? HostDll, string? Output, string[]? Scenarios, bool Allocations, bool GateWrites)
{
    public static BenchOptions Parse(string[] args)
    {
        string? Value(string name)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        }

        return new BenchOptions(
            int.Parse(Value("--concurrency") ?? "32", CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(Value("--warmup") ?? "3", CultureInfo.InvariantCulture)),
            TimeSpan.FromSeconds(double.Parse(Value("--duration") ?? "10", CultureInfo.InvariantCulture)),
            int.Parse(Value("--rounds") ?? "3", CultureInfo.InvariantCulture),
            Value("--host-dll"),
            Value("--out"),
            Value("--scenarios")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            args.Contains("--allocations"),
            args.Contains("--gate-writes"));
    }
}
