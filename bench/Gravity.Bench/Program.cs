// Gravity synchronizer benchmark (issue 4). bench/run-gravity-bench.sh builds and runs it; docs/benchmarks.md keeps
// the results. N UserAdded events (the seed's user-profile story) are pre-appended to the embedded event log; the
// synchronizer applies them into a fresh SQLite or PostgreSQL view and is timed until fully caught up. The baseline,
// measured in the same run on the same database, writes the same final rows with a plain batched upsert loop.
using System.Diagnostics;
using Gravity.Bench;

var options = BenchOptions.Parse(args);
var work = Directory.CreateTempSubdirectory("gravity-bench-").FullName;
var postgres = Environment.GetEnvironmentVariable("TWIST_TEST_POSTGRES");
var targets = new List<string>();
foreach (var target in options.Targets)
{
    if (target == "postgres" && string.IsNullOrWhiteSpace(postgres))
    {
        Console.WriteLine("PostgreSQL skipped: TWIST_TEST_POSTGRES is not set (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres).");
        continue;
    }

    targets.Add(target is "sqlite" or "postgres" ? target : throw new ArgumentException($"Unknown target \"{target}\"; use sqlite or postgres."));
}

Console.WriteLine($"Gravity benchmark: {options.Events:N0} events, {options.Rounds} rounds, targets {string.Join(", ", targets)}, data in {work}");

async Task<BenchDatabase> CreateDatabaseAsync(string target, string label) => target == "sqlite"
    ? new SqliteBenchDatabase(Path.Combine(work, label + ".db"))
    : await PostgresBenchDatabase.CreateAsync(postgres!);

async Task<(double Rate, long Batches, double Committing, double CpuPerEvent, double? ServerCpuPerEvent, double BytesPerEvent, double GcPaused, (TimeSpan Time, long Methods) Jit)> MeasureAsync(string target, string label, Workload workload, string log, string side, bool verify)
{
    await using var database = await CreateDatabaseAsync(target, label);
    // The process's CPU time per event: unlike events/s it hardly moves with the load other builds put on the machine
    // (it leaves out the database server's own CPU time).
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var (jit, methods) = (System.Runtime.JitInfo.GetCompilationTime(), System.Runtime.JitInfo.GetCompiledMethodCount());
    var server = target == "postgres" ? ServerCpu.Read() : null;
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var paused = GC.GetTotalPauseDuration();
    TimeSpan elapsed;
    long batches = 0;
    var batchTime = TimeSpan.Zero;
    if (side == "gravity")
    {
        (elapsed, batches, batchTime) = await SyncRunner.RunAsync(database, log, workload.Rows.Length, options);
    }
    else
    {
        var watch = Stopwatch.StartNew();
        await BaselineWriter.RunAsync(database, workload.Rows, options.BatchRows, side == "baseline" ? BaselineKind.MultiRow : BaselineKind.SameStatements);
        elapsed = watch.Elapsed;
    }

    var cpuPerEvent = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / workload.Rows.Length;
    var bytesPerEvent = (double)(GC.GetTotalAllocatedBytes(precise: true) - allocated) / workload.Rows.Length;
    var gcPause = GC.GetTotalPauseDuration() - paused;
    var jitted = (System.Runtime.JitInfo.GetCompilationTime() - jit, System.Runtime.JitInfo.GetCompiledMethodCount() - methods);
    var serverPerEvent = server is { } before && ServerCpu.Read() is { } after ? (after - before).TotalMicroseconds / workload.Rows.Length : (double?)null;
    if (Environment.GetEnvironmentVariable("GRAVITY_BENCH_MARKS") == "1")
    {
        Console.WriteLine($"[measured {label}]"); // lets a profiler attached to the process stop before the view check
    }

    if (verify)
    {
        await ViewCheck.VerifyAsync(database, workload.FinalRows(), label);
    }

    return (workload.Rows.Length / elapsed.TotalSeconds, batches, batchTime / elapsed, cpuPerEvent, serverPerEvent, bytesPerEvent, gcPause / elapsed, jitted);
}

// Warm-up: JIT, connection pools and the server's caches, on a smaller log of its own; not reported. The JIT time
// printed for each measured run shows whether it was long enough.
var warmup = Workload.Create("new", options.WarmupEvents);
var warmupLog = Path.Combine(work, "warmup-events.db");
await warmup.SeedAsync(warmupLog);
// Twice: start-up code (the host, the container, the driver's type mappings) runs a few times per run and reaches
// the optimising compiler only in a later run.
for (var pass = 0; pass < 2; pass++)
foreach (var target in targets)
{
    foreach (var side in options.Sides)
    {
        var (_, _, _, _, _, _, _, jit) = await MeasureAsync(target, $"warmup-{target}-{side}-{pass}", warmup, warmupLog, side, verify: true);
        Console.WriteLine($"  warm-up {target,-10} {side,-8} {options.WarmupEvents:N0} events, JIT {jit.Time.TotalMilliseconds:0} ms for {jit.Methods:N0} methods");
    }
}

var results = new List<CaseResult>();
foreach (var distribution in options.Distributions)
{
    var workload = Workload.Create(distribution, options.Events);
    var log = Path.Combine(work, $"{distribution}-events.db");
    var seeding = Stopwatch.StartNew();
    await workload.SeedAsync(log);
    Console.WriteLine($"{distribution}: {Workload.Describe(distribution)}; {workload.DistinctKeys:N0} keys; log seeded in {seeding.Elapsed.TotalSeconds:0.0} s");
    foreach (var target in targets)
    {
        var result = new CaseResult(target == "sqlite" ? "SQLite" : "PostgreSQL", distribution, options.Events, workload.DistinctKeys, [], [], []);
        for (var round = 0; round < options.Rounds; round++)
        {
            // Alternate the order, so drift (other load, a warming cache) does not always favour one side.
            foreach (var side in round % 2 == 0 ? options.Sides : options.Sides.Reverse())
            {
                var (rate, batches, committing, cpuPerEvent, serverPerEvent, bytesPerEvent, gcPaused, jit) = await MeasureAsync(target, $"{distribution}-{target}-{side}-{round}", workload, log, side, verify: true);
                (side == "gravity" ? result.Sync : side == "baseline" ? result.Baseline : result.Same).Add(rate);
                Console.WriteLine($"  {result.Target,-10} {distribution,-4} round {round + 1}: {side,-8} {rate,10:N0} events/s, {cpuPerEvent,5:0.0} µs CPU/event{(serverPerEvent is { } sv ? $" + server {sv,4:0.0}" : string.Empty)}, {bytesPerEvent,5:N0} B allocated/event, GC pauses {gcPaused:P0}, JIT {jit.Time.TotalMilliseconds,4:0} ms for {jit.Methods:N0} methods{(side == "gravity" ? $" ({batches:N0} commits, in commits {committing:P0} of the time)" : string.Empty)}");
            }
        }

        results.Add(result);
    }

    File.Delete(log);
}

var report = MarkdownReport.Render(results, options);
Console.WriteLine();
Console.WriteLine(report);
if (options.Output is { } output)
{
    await File.WriteAllTextAsync(output, report);
    Console.WriteLine($"Written to {output}");
}

Directory.Delete(work, recursive: true);
