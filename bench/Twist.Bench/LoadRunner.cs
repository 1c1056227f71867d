using System.Diagnostics;

namespace Twist.Bench;

/// <summary>Runs a transfer function from N concurrent workers for a fixed time and reports throughput and latency percentiles.</summary>
internal static class LoadRunner
{
    /// <summary>Runs the transfer without measuring, so JIT tiering and connection pools settle before any round.</summary>
    public static Task WarmUpAsync(Func<int, Task> transfer, int concurrency, TimeSpan duration) =>
        RunPhaseAsync(transfer, concurrency, duration, null);

    public static async Task<ScenarioResult> RunAsync(string name, Func<int, Task> transfer, int concurrency, TimeSpan warmup, TimeSpan duration)
    {
        await RunPhaseAsync(transfer, concurrency, warmup, null);
        var latencies = new List<double>[concurrency];
        for (var i = 0; i < concurrency; i++)
        {
            latencies[i] = new List<double>(4096);
        }

        var errors = 0;
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes();
        var workItemsBefore = ThreadPool.CompletedWorkItemCount;
        var clock = Stopwatch.StartNew();
        errors += await RunPhaseAsync(transfer, concurrency, duration, latencies);
        var elapsed = clock.Elapsed;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes() - allocatedBefore;
        var workItems = ThreadPool.CompletedWorkItemCount - workItemsBefore;
        var all = latencies.SelectMany(l => l).Order().ToArray();
        return new ScenarioResult(
            name,
            all.Length,
            errors,
            all.Length / elapsed.TotalSeconds,
            Percentile(all, 0.50),
            Percentile(all, 0.99),
            all.Length == 0 ? double.NaN : cpu.TotalMilliseconds / all.Length,
            all.Length == 0 ? double.NaN : allocated / 1024.0 / all.Length,
            all.Length == 0 ? double.NaN : (double)workItems / all.Length);
    }

    private static async Task<int> RunPhaseAsync(Func<int, Task> transfer, int concurrency, TimeSpan duration, List<double>[]? latencies)
    {
        var stopAt = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var errors = 0;
        var workers = Enumerable.Range(0, concurrency).Select(async worker =>
        {
            await Task.Yield();
            var sequence = 0;
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    await transfer(worker * 1_000_000 + sequence++);
                    latencies?[worker].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception ex)
                {
                    if (Interlocked.Increment(ref errors) <= 3)
                    {
                        Console.Error.WriteLine($"  transfer failed: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }
        });
        await Task.WhenAll(workers);
        return errors;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <param name="CpuMsPerTransfer">
/// CPU time this process spent per transfer while the scenario was measured (user + kernel, all threads). Unlike
/// throughput it barely moves when other work shares the machine, so it is the steadier measure of what a feature costs;
/// it covers the caller, the participants, the embedded coordinator and the OTLP sink, but not a hosted coordinator's
/// own process.
/// </param>
internal sealed record ScenarioResult(string Name, int Transfers, int Errors, double PerSecond, double P50Ms, double P99Ms, double CpuMsPerTransfer, double KiBPerTransfer, double WorkItemsPerTransfer);
