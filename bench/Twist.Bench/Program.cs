// Twist coordinator benchmark. See bench/README.md; bench/run-twist-bench.sh builds and runs it and writes
// docs/benchmarks.md. Every coordinator figure is reported as a ratio to the no-coordinator baseline measured in the
// same run, because absolute numbers on a shared 2-core machine say little on their own.
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twist;
using Twist.Bench;
using Twist.Transactions;

const string TracingOnName = "embedded coordinator, tracing on (Rosen + OTLP export)";
const string TracingSampledName = "embedded coordinator, tracing on, 10 % of transactions sampled";
const string TracingNoMetricsName = "embedded coordinator, tracing on, spans only (no metrics)";
const string TracingRosenOnlyName = "embedded coordinator, tracing on, Twist + Rosen only (no ASP.NET Core / HttpClient telemetry)";

// The hosts below would otherwise watch their content root (the working directory) for appsettings changes; on Linux
// that is an inotify watch on every subdirectory, and the benchmark's own database writes (or a build next to it)
// would cost CPU in every scenario.
Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
var options = BenchOptions.Parse(args);
var workDir = Directory.CreateTempSubdirectory("twist-bench-").FullName;
Console.WriteLine($"Twist benchmark: concurrency {options.Concurrency}{(options.GateWrites ? ", participants queue their SQLite writes (--gate-writes)" : "")}, {options.Duration.TotalSeconds:0} s per scenario after {options.Warmup.TotalSeconds:0} s warm-up, data in {workDir}");

await using var bank = await BenchParticipant.StartAsync("bank", workDir, options.GateWrites);
await using var game = await BenchParticipant.StartAsync("game", workDir, options.GateWrites);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1024 });

async Task<(Uri Bank, Uri Game)> TryBothAsync(string tid, int n)
{
    var account = (n % 1000) + 1;
    var a = TryAsync(bank, tid, account, -100);
    var b = TryAsync(game, tid, account, 100);
    return (await a, await b);
}

async Task<Uri> TryAsync(BenchParticipant participant, string tid, int account, int amount)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(participant.BaseAddress, $"/try/{account}/{amount}"));
    request.Headers.Add("Twist-Transaction-ID", tid);
    using var response = await http.SendAsync(request);
    response.EnsureSuccessStatusCode();
    var answer = await response.Content.ReadFromJsonAsync(BenchJson.Default.TryAnswer);
    return new Uri(answer!.ParticipantLink.Uri);
}

async Task PutAsync(Uri link)
{
    using var response = await http.PutAsync(link, null);
    response.EnsureSuccessStatusCode();
}

var scenarios = new List<Scenario>();

// 1. Baseline: the same Try and Confirm business calls, made directly by the caller, no coordinator.
scenarios.Add(new("baseline (no coordinator)", async n =>
{
    var (a, b) = await TryBothAsync(Guid.CreateVersion7().ToString("N"), n);
    await Task.WhenAll(PutAsync(a), PutAsync(b));
}));

// 2. Embedded coordinator: in-process ITwistCoordinator, SQLite log with synchronous=FULL and group commit.
var embeddedBuilder = Host.CreateApplicationBuilder();
embeddedBuilder.Logging.ClearProviders();
embeddedBuilder.Services.AddTwistCoordinator(o =>
{
    o.UseSqlite(Path.Combine(workDir, "coordinator-embedded.db"));
    o.AllowedParticipantHosts.Add("127.0.0.1");
});
using var embeddedHost = embeddedBuilder.Build();
await embeddedHost.StartAsync();
var coordinator = embeddedHost.Services.GetRequiredService<ITwistCoordinator>();
async Task EmbeddedTransferAsync(int n)
{
    var tx = await coordinator.BeginAsync();
    var (a, b) = await TryBothAsync(tx.Tid, n);
    var expires = DateTimeOffset.UtcNow.AddMinutes(1);
    var result = await coordinator.ConfirmAsync(tx.Tid, [new ParticipantLink(a, expires), new ParticipantLink(b, expires)]);
    if (result.Status != TransactionStatus.Confirmed)
    {
        throw new InvalidOperationException($"transaction {tx.Tid} ended {result.Status}");
    }
}

scenarios.Add(new("embedded coordinator", EmbeddedTransferAsync));

// 2b. The same with tracing on: every span sampled and exported over OTLP, to measure what observability costs.
await using var tracing = await TracingSwitch.StartAsync();
scenarios.Add(new(TracingOnName, EmbeddedTransferAsync, tracing.On));
scenarios.Add(new(TracingSampledName, EmbeddedTransferAsync, () => tracing.On(0.1)));

// 2c. Parts of it, to split the overhead: without metrics, and with Twist/Rosen's own telemetry only (no framework spans
// or metrics for ASP.NET Core and HttpClient; W3C context still flows through the Twist headers and HttpClient).
scenarios.Add(new(TracingNoMetricsName, EmbeddedTransferAsync, () => tracing.On(TracingParts.Framework)));
scenarios.Add(new(TracingRosenOnlyName, EmbeddedTransferAsync, () => tracing.On(TracingParts.Metrics)));

// 3 and 4. Hosted coordinator (a separate process, configured by environment variables) over REST and gRPC.
HostedCoordinator? hosted = null;
GrpcCaller? grpc = null;
if (options.HostDll is not null)
{
    hosted = await HostedCoordinator.StartAsync(options.HostDll, Path.Combine(workDir, "coordinator-hosted.db"));
    var rest = new RestCaller(hosted.Address, HostedCoordinator.ApiKey);
    scenarios.Add(new("hosted coordinator, REST", async n =>
    {
        var tid = await rest.BeginAsync();
        var (a, b) = await TryBothAsync(tid, n);
        await rest.ConfirmAsync(tid, a, b);
    }));
    grpc = new GrpcCaller(hosted.Address, HostedCoordinator.ApiKey);
    scenarios.Add(new("hosted coordinator, gRPC", async n =>
    {
        var tid = await grpc.BeginAsync();
        var (a, b) = await TryBothAsync(tid, n);
        await grpc.ConfirmAsync(tid, a, b);
    }));
}

// 5 and 6. Embedded coordinator with participants written with the Twist.Client participant SDK, guard off and on, to
// measure what the guard costs. Their own coordinator instance sends a bearer token (the SDK refuses Confirm/Cancel
// without the coordinator's credential), so the scenarios above stay exactly as they were.
var sdkBuilder = Host.CreateApplicationBuilder();
sdkBuilder.Logging.ClearProviders();
sdkBuilder.Services.AddTwistCoordinator(o =>
{
    o.UseSqlite(Path.Combine(workDir, "coordinator-embedded-sdk.db"));
    o.AllowedParticipantHosts.Add("127.0.0.1");
    o.ParticipantCredential.BearerToken = SdkParticipant.BearerToken;
});
using var sdkHost = sdkBuilder.Build();
await sdkHost.StartAsync();
var sdkCoordinator = sdkHost.Services.GetRequiredService<ITwistCoordinator>();
var sdkParticipants = new List<(SdkParticipant Bank, SdkParticipant Game, StrongBox<long> Confirmed)>();
foreach (var (guard, name) in ((SdkGuard, string)[])[
    (SdkGuard.Off, "embedded + SDK participants, guard off"),
    (SdkGuard.Sqlite, "embedded + SDK participants, guard on (SQLite)"),
    (SdkGuard.SqliteDefaults, "embedded + SDK participants, guard on (UseSqliteGuard defaults)")])
{
    var sdkBank = await SdkParticipant.StartAsync("bank", workDir, guard);
    var sdkGame = await SdkParticipant.StartAsync("game", workDir, guard);
    var confirmed = new StrongBox<long>();
    sdkParticipants.Add((sdkBank, sdkGame, confirmed));
    scenarios.Add(new(name, async n =>
    {
        var tx = await sdkCoordinator.BeginAsync();
        var account = (n % 1000) + 1;
        var a = SdkCaller.TryAsync(http, sdkBank, tx.Tid, account, -100);
        var b = SdkCaller.TryAsync(http, sdkGame, tx.Tid, account, 100);
        var expires = DateTimeOffset.UtcNow.AddMinutes(1);
        var result = await sdkCoordinator.ConfirmAsync(tx.Tid, [new ParticipantLink(await a, expires), new ParticipantLink(await b, expires)]);
        if (result.Status != TransactionStatus.Confirmed)
        {
            throw new InvalidOperationException($"transaction {tx.Tid} ended {result.Status}");
        }

        Interlocked.Increment(ref confirmed.Value);
    }));
}

if (options.Scenarios is { } only)
{
    // A name ending in '$' must match a scenario's whole name (e.g. "embedded coordinator$" without its tracing variants).
    scenarios.RemoveAll(s => !only.Any(o => o.EndsWith('$')
        ? s.Name.Equals(o[..^1], StringComparison.OrdinalIgnoreCase)
        : s.Name.Contains(o, StringComparison.OrdinalIgnoreCase)));
    if (scenarios.Count == 0)
    {
        Console.Error.WriteLine($"no scenario matches --scenarios \"{string.Join(',', only)}\"");
        return 2;
    }
}

// Rounds interleave the scenarios so drift during the run (other load, page cache, JIT) hits all of them alike, and
// every other round runs them in reverse order, so a machine that speeds up or slows down during a round favours no
// scenario. An unmeasured pass first brings every code path to its optimised tier: without it the first scenario of
// round 1 ran up to 40 % slower than in later rounds. Each scenario reports its median round, and each ratio is the
// median of its per-round ratios (a scenario against the reference measured in the same round).
var rounds = new List<ScenarioResult>[scenarios.Count];
for (var i = 0; i < scenarios.Count; i++)
{
    rounds[i] = [];
}

using var allocations = options.Allocations ? new AllocationSampler() : null;
Console.WriteLine("warm-up pass (not measured)");
foreach (var scenario in scenarios)
{
    using (scenario.Enter?.Invoke())
    {
        await LoadRunner.WarmUpAsync(scenario.Transfer, options.Concurrency, options.Warmup);
    }
}

for (var round = 1; round <= options.Rounds; round++)
{
    Console.WriteLine($"round {round} of {options.Rounds}{(round % 2 == 0 ? " (reverse order)" : "")}");
    var order = Enumerable.Range(0, scenarios.Count);
    foreach (var i in round % 2 == 0 ? order.Reverse() : order)
    {
        ScenarioResult result;
        using (scenarios[i].Enter?.Invoke())
        {
            allocations?.Reset();
            result = await LoadRunner.RunAsync(scenarios[i].Name, scenarios[i].Transfer, options.Concurrency, options.Warmup, options.Duration);
        }

        rounds[i].Add(result);
        Report(result);
        foreach (var line in allocations?.Top(12) ?? [])
        {
            Console.WriteLine("      " + line);
        }
    }
}

var results = rounds.Select(r => r.OrderBy(x => x.PerSecond).ElementAt(r.Count / 2) with
{
    Errors = r.Sum(x => x.Errors),
    CpuMsPerTransfer = r.Select(x => x.CpuMsPerTransfer).Order().ElementAt(r.Count / 2),
    KiBPerTransfer = r.Select(x => x.KiBPerTransfer).Order().ElementAt(r.Count / 2),
    WorkItemsPerTransfer = r.Select(x => x.WorkItemsPerTransfer).Order().ElementAt(r.Count / 2),
}).ToList();
var roundsByName = scenarios.Select((s, i) => (s.Name, Rounds: rounds[i])).ToDictionary(x => x.Name, x => (IReadOnlyList<ScenarioResult>)x.Rounds);
grpc?.Dispose();
if (hosted is not null)
{
    await hosted.DisposeAsync();
}

await embeddedHost.StopAsync();
await sdkHost.StopAsync();

// Correctness of the SDK scenarios, warm-up included: no reservation left (every Try was confirmed) and, guard on, exactly
// one guard row per confirmed transfer, in state confirmed.
var inconsistencies = 0;
foreach (var (sdkBank, sdkGame, confirmed) in sdkParticipants)
{
    var problems = (await sdkBank.VerifyAsync(confirmed.Value, -100)).Concat(await sdkGame.VerifyAsync(confirmed.Value, 100)).ToList();
    inconsistencies += problems.Count;
    foreach (var problem in problems)
    {
        Console.Error.WriteLine("  inconsistent: " + problem);
    }

    if (confirmed.Value > 0 && problems.Count == 0)
    {
        Console.WriteLine($"  verified SDK participants (guard {sdkBank.Guard}): {confirmed.Value} transfers confirmed, no reservation left, guard rows as expected");
    }

    await sdkBank.DisposeAsync();
    await sdkGame.DisposeAsync();
}

var guardOff = results.Find(r => r.Name.EndsWith("guard off", StringComparison.Ordinal));
var guardOn = results.Find(r => r.Name.EndsWith("guard on (SQLite)", StringComparison.Ordinal));
var guardDefaults = results.Find(r => r.Name.EndsWith("(UseSqliteGuard defaults)", StringComparison.Ordinal));
var table = MarkdownReport.Render(results, r => RoundRatios.Median(roundsByName[r.Name], roundsByName[results[0].Name]), options);
Console.WriteLine();
Console.WriteLine(table);
foreach (var r in results.Skip(1))
{
    Console.WriteLine($"{r.Name} / {results[0].Name} per round: {RoundRatios.Each(roundsByName[r.Name], roundsByName[results[0].Name])}");
}

foreach (var on in (ScenarioResult?[])[guardOn, guardDefaults])
{
    if (guardOff is not null && on is not null)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{on.Name} / guard off: {RoundRatios.Median(roundsByName[on.Name], roundsByName[guardOff.Name]):0.00}× throughput (rounds {RoundRatios.Each(roundsByName[on.Name], roundsByName[guardOff.Name])}), p50 {on.P50Ms - guardOff.P50Ms:+0.00;-0.00} ms"));
    }
}

var tracingOff = results.Find(r => r.Name == "embedded coordinator");
var tracingOn = results.Find(r => r.Name == TracingOnName);
var tracingBroken = tracingOn is not null && tracing.ExportedBytes == 0;
if (tracingOff is not null && tracingOn is not null)
{
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"tracing on / off (embedded): {RoundRatios.Median(roundsByName[tracingOn.Name], roundsByName[tracingOff.Name]):0.00}× throughput (rounds {RoundRatios.Each(roundsByName[tracingOn.Name], roundsByName[tracingOff.Name])}), {RoundRatios.Median(roundsByName[tracingOn.Name], roundsByName[tracingOff.Name], r => r.CpuMsPerTransfer):0.00}× CPU per transfer, p50 {tracingOn.P50Ms - tracingOff.P50Ms:+0.00;-0.00} ms; {tracing.ExportedBytes / 1024.0 / 1024.0:0.0} MiB exported over OTLP (both tracing scenarios)"));
}

foreach (var name in (string[])[TracingSampledName, TracingNoMetricsName, TracingRosenOnlyName])
{
    var part = results.Find(r => r.Name == name);
    if (tracingOff is not null && part is not null)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name["embedded coordinator, ".Length..]} / off: {RoundRatios.Median(roundsByName[name], roundsByName[tracingOff.Name]):0.00}× throughput (rounds {RoundRatios.Each(roundsByName[name], roundsByName[tracingOff.Name])}), {RoundRatios.Median(roundsByName[name], roundsByName[tracingOff.Name], r => r.CpuMsPerTransfer):0.00}× CPU per transfer, p50 {part.P50Ms - tracingOff.P50Ms:+0.00;-0.00} ms"));
    }
}

if (tracingBroken)
{
    Console.Error.WriteLine("  the tracing scenario exported nothing: its figure measures no tracing");
}

if (options.Output is not null)
{
    await File.WriteAllTextAsync(options.Output, table);
    Console.WriteLine($"Written to {options.Output}");
}

Directory.Delete(workDir, recursive: true);
return results.Any(r => r.Errors > 0) || inconsistencies > 0 || tracingBroken ? 1 : 0;

static void Report(ScenarioResult r) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Name,-64} {r.PerSecond,8:0.0}/s  p50 {r.P50Ms,6:0.00} ms  p99 {r.P99Ms,7:0.00} ms  {r.CpuMsPerTransfer,6:0.000} CPU ms/transfer {r.KiBPerTransfer,6:0.0} KiB/transfer {r.WorkItemsPerTransfer,5:0.0} work items/transfer  ({r.Transfers} transfers, {r.Errors} errors)"));
