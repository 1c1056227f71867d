// Twist coordinator benchmark. See bench/README.md; bench/run-twist-bench.sh builds and runs it and writes
// docs/benchmarks.md. Every coordinator figure is reported as a ratio to the no-coordinator baseline measured in the
// same run, because absolute numbers on a shared 2-core machine say little on their own.
using System.Globalization;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twist;
using Twist.Bench;
using Twist.Transactions;

var options = BenchOptions.Parse(args);
var workDir = Directory.CreateTempSubdirectory("twist-bench-").FullName;
Console.WriteLine($"Twist benchmark: concurrency {options.Concurrency}, {options.Duration.TotalSeconds:0} s per scenario after {options.Warmup.TotalSeconds:0} s warm-up, data in {workDir}");

await using var bank = await BenchParticipant.StartAsync("bank", workDir);
await using var game = await BenchParticipant.StartAsync("game", workDir);
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

var results = new List<ScenarioResult>();

// 1. Baseline: the same Try and Confirm business calls, made directly by the caller, no coordinator.
Func<int, Task> baseline = async n =>
{
    var (a, b) = await TryBothAsync(Guid.CreateVersion7().ToString("N"), n);
    await Task.WhenAll(PutAsync(a), PutAsync(b));
};
results.Add(await LoadRunner.RunAsync("baseline (no coordinator)", baseline, options.Concurrency, options.Warmup, options.Duration));
Report(results[^1]);

// 2. Embedded coordinator: in-process ITwistCoordinator, SQLite log with synchronous=FULL.
var embeddedHost = Host.CreateApplicationBuilder();
embeddedHost.Logging.ClearProviders();
embeddedHost.Services.AddTwistCoordinator(o =>
{
    o.UseSqlite(Path.Combine(workDir, "coordinator-embedded.db"));
    o.AllowedParticipantHosts.Add("127.0.0.1");
});
using (var host = embeddedHost.Build())
{
    await host.StartAsync();
    var coordinator = host.Services.GetRequiredService<ITwistCoordinator>();
    Func<int, Task> embedded = async n =>
    {
        var tx = await coordinator.BeginAsync();
        var (a, b) = await TryBothAsync(tx.Tid, n);
        var expires = DateTimeOffset.UtcNow.AddMinutes(1);
        var result = await coordinator.ConfirmAsync(tx.Tid, [new ParticipantLink(a, expires), new ParticipantLink(b, expires)]);
        if (result.Status != TransactionStatus.Confirmed)
        {
            throw new InvalidOperationException($"transaction {tx.Tid} ended {result.Status}");
        }
    };
    results.Add(await LoadRunner.RunAsync("embedded coordinator", embedded, options.Concurrency, options.Warmup, options.Duration));
    Report(results[^1]);
    await host.StopAsync();
}

// 3 and 4. Hosted coordinator (a separate process) over REST and gRPC.
if (options.HostDll is not null)
{
    await using var hosted = await HostedCoordinator.StartAsync(options.HostDll, Path.Combine(workDir, "coordinator-hosted.db"));
    var rest = new RestCaller(hosted.Address, HostedCoordinator.ApiKey);
    Func<int, Task> overRest = async n =>
    {
        var tid = await rest.BeginAsync();
        var (a, b) = await TryBothAsync(tid, n);
        await rest.ConfirmAsync(tid, a, b);
    };
    results.Add(await LoadRunner.RunAsync("hosted coordinator, REST", overRest, options.Concurrency, options.Warmup, options.Duration));
    Report(results[^1]);

    using var grpc = new GrpcCaller(hosted.Address, HostedCoordinator.ApiKey);
    Func<int, Task> overGrpc = async n =>
    {
        var tid = await grpc.BeginAsync();
        var (a, b) = await TryBothAsync(tid, n);
        await grpc.ConfirmAsync(tid, a, b);
    };
    results.Add(await LoadRunner.RunAsync("hosted coordinator, gRPC", overGrpc, options.Concurrency, options.Warmup, options.Duration));
    Report(results[^1]);
}

// Baseline again: the ratio uses the mean of both baseline runs so drift during the run (thermal, page cache) is visible.
results.Add(await LoadRunner.RunAsync("baseline (no coordinator), repeated", baseline, options.Concurrency, options.Warmup, options.Duration));
Report(results[^1]);

var baselineRate = (results[0].PerSecond + results[^1].PerSecond) / 2;
var table = MarkdownReport.Render(results, baselineRate, options);
Console.WriteLine();
Console.WriteLine(table);
if (options.Output is not null)
{
    await File.WriteAllTextAsync(options.Output, table);
    Console.WriteLine($"Written to {options.Output}");
}

Directory.Delete(workDir, recursive: true);
return results.Any(r => r.Errors > 0) ? 1 : 0;

static void Report(ScenarioResult r) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {r.Name,-40} {r.PerSecond,8:0.0}/s  p50 {r.P50Ms,6:0.00} ms  p99 {r.P99Ms,7:0.00} ms  ({r.Transfers} transfers, {r.Errors} errors)"));
