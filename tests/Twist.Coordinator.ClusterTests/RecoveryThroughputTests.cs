using System.Globalization;
using System.Net;
using Twist.Coordinator.ClusterTests.Infrastructure;
using static Twist.Coordinator.ClusterTests.Infrastructure.ClusterScenario;

namespace Twist.Coordinator.ClusterTests;

/// <summary>
/// A backlog of decided transactions waits on a participant service that is down (stopped: connections refused);
/// when it comes back, measures how fast the three coordinators finish them all. CI runs 1,000 transactions and a
/// 5-second outage; bench/run-cluster-bench.sh runs a one-minute outage.
/// </summary>
[Collection(SequentialScenarios.Name)]
public sealed class RecoveryThroughputTests
{
    private const long Price = 10;
    private const int Concurrency = 32;

    [Fact(Timeout = 300_000)]
    public async Task A_backlog_waiting_on_a_participant_that_was_down_finishes_soon_after_it_returns()
    {
        var ct = TestContext.Current.CancellationToken;
        var count = Backlog;
        var outage = Outage;
        await using var db = await ClusterDatabase.CreateAsync();
        await using var bank = await ParticipantService.StartAsync("bank", db, count * Price);
        await using var shop = await ParticipantService.StartAsync("shop", db, 0);

        // The engine's default back-off (200 ms doubling to 30 s): what a deployment runs with.
        await using var cluster = await CoordinatorCluster.StartAsync(db, 3, new Dictionary<string, string>
        {
            ["Twist__Coordinator__DecisionWaitTimeout"] = "00:00:00", // answer 202 at once; the backlog builds faster
            ["Twist__Coordinator__RetryBaseDelay"] = "00:00:00.200",
            ["Twist__Coordinator__RetryMaxDelay"] = "00:00:30",
            ["Twist__Coordinator__RecoveryInterval"] = "00:00:01",
        }, ct);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        // Every transfer is tried at both services while they are up.
        var prepared = await ForEachAsync(count, async i =>
        {
            var caller = cluster.Callers[i % cluster.Callers.Count];
            var tid = await CoordinatorCluster.BeginAsync(caller, TimeSpan.FromMinutes(10), ct);
            var debit = await bank.TryAsync(http, tid, -Price, ct) ?? throw new InvalidOperationException($"The bank refused the Try of {tid}.");
            var credit = await shop.TryAsync(http, tid, Price, ct) ?? throw new InvalidOperationException($"The shop refused the Try of {tid}.");
            return (Tid: tid, Caller: caller, Links: new[] { debit, credit });
        });

        // The shop goes down; every transfer is confirmed meanwhile: the bank applies it, the shop's leg waits.
        await shop.StopAsync();
        var downAt = DateTimeOffset.UtcNow;
        var answers = await ForEachAsync(count, async i =>
        {
            var (tid, caller, links) = prepared[i];
            return (await CoordinatorCluster.ConfirmAsync(caller, tid, links, ct)).Code;
        });
        Assert.All(answers, a => Assert.True(a is HttpStatusCode.OK or HttpStatusCode.Accepted, $"confirm answered {a}"));
        var waiting = await db.ScalarAsync<long>("SELECT count(*) FROM twist.transactions WHERE status = 1");
        var remaining = downAt + outage - DateTimeOffset.UtcNow;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, ct);
        }

        // Back up: measure until the last transaction is Confirmed.
        var failedCalls = await db.ScalarAsync<long>("SELECT count(*) FROM twist.attempts WHERE result_status = 3");
        await shop.StartAsync();
        var upAt = DateTimeOffset.UtcNow;
        long confirmed = 0;
        for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline; await Task.Delay(50, ct))
        {
            confirmed = await db.ScalarAsync<long>("SELECT count(*) FROM twist.transactions WHERE status = 2");
            if (confirmed == count)
            {
                break;
            }
        }

        var times = await db.ListAsync(
            "SELECT min(completed_at), max(completed_at) FROM twist.transactions WHERE status = 2 AND completed_at >= $1",
            r => (First: r.GetFieldValue<DateTimeOffset>(0), Last: r.GetFieldValue<DateTimeOffset>(1)), upAt);
        Assert.Equal(count, confirmed);
        var drained = times[0].Last - upAt;

        // Exactly once, money conserved.
        var shopHolds = await shop.HoldsAsync();
        Assert.Equal(count, shopHolds.Count(h => h is { State: "confirmed", Confirms: 1, Cancels: 0 }));
        Assert.All(await bank.HoldsAsync(), h => Assert.Equal(("confirmed", 1, 0), (h.State, h.Confirms, h.Cancels)));
        Assert.Equal(0, await bank.BalanceAsync());
        Assert.Equal(count * Price, await shop.BalanceAsync());
        Assert.DoesNotContain(bank.Calls.Concat(shop.Calls), c => c.Status is 404 or 409);

        var rate = count / Math.Max(drained.TotalSeconds, 0.001);
        Report(string.Create(CultureInfo.InvariantCulture,
            $"recovery: {count} decided transactions ({waiting} still waiting when the confirms were done, {failedCalls} failed calls recorded) waited on a participant down for {(upAt - downAt).TotalSeconds:0.0} s; " +
            $"after it returned the first finished in {(times[0].First - upAt).TotalMilliseconds:0} ms and all in {drained.TotalMilliseconds:0} ms: {rate:0} transactions/s over 3 coordinators"));

        // Catches a regression to per-transaction back-off: even the CI's short outage leaves back-offs of seconds.
        Assert.True(drained < TimeSpan.FromSeconds(30), $"{count} transactions took {drained} to finish after the participant returned.");
    }

    /// <summary>Runs <paramref name="work"/> for 0..count-1 with bounded concurrency; results in index order.</summary>
    private static async Task<T[]> ForEachAsync<T>(int count, Func<int, Task<T>> work)
    {
        var results = new T[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next))
            {
                results[i] = await work(i);
            }
        })));
        return results;
    }
}
