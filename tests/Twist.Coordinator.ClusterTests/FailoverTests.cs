using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Twist.Coordinator.ClusterTests.Infrastructure;
using static Twist.Coordinator.ClusterTests.Infrastructure.ClusterScenario;

namespace Twist.Coordinator.ClusterTests;

/// <summary>
/// Three coordinator processes on one PostgreSQL database under a steady load of transfers between two participant
/// services; one coordinator is killed with SIGKILL mid-load. Its unfinished transactions must be taken over and
/// finished, every decision applied exactly once, and the money conserved. Measures the takeover time and the
/// throughput dip.
/// </summary>
[Collection(SequentialScenarios.Name)]
public sealed class FailoverTests
{
    private const long Opening = 10_000_000;
    private const long Price = 10;
    private const int Workers = 30;

    [Fact(Timeout = 240_000)]
    public async Task Killing_one_of_three_coordinators_under_load_hands_its_transactions_over_and_applies_each_decision_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await ClusterDatabase.CreateAsync();

        // Confirm takes a little while, so every coordinator always has transactions mid-delivery when one is killed.
        await using var bank = await ParticipantService.StartAsync("bank", db, Opening, confirmDelay: TimeSpan.FromMilliseconds(150));
        await using var shop = await ParticipantService.StartAsync("shop", db, 0, confirmDelay: TimeSpan.FromMilliseconds(150));
        var lease = Lease;
        await using var cluster = await CoordinatorCluster.StartAsync(db, 3, new Dictionary<string, string>
        {
            ["Twist__Coordinator__LeaseDuration"] = Env(lease),
            ["Twist__Coordinator__RecoveryInterval"] = "00:00:00.250",
            ["Twist__Coordinator__TimeoutSweepInterval"] = "00:00:00.250",
            ["Twist__Coordinator__RetryBaseDelay"] = "00:00:00.050",
            ["Twist__Coordinator__RetryMaxDelay"] = "00:00:01",
            ["Twist__Coordinator__DecisionWaitTimeout"] = "00:00:02",
        }, ct);

        var answers = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var dead = new bool[cluster.Nodes.Count];
        using var stopLoad = new CancellationTokenSource();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        async Task WorkerAsync(int worker)
        {
            for (var n = 0; !stopLoad.IsCancellationRequested; n++)
            {
                var node = (worker + n) % cluster.Nodes.Count;
                if (Volatile.Read(ref dead[node]))
                {
                    continue;
                }

                var caller = cluster.Callers[node];
                string? tid = null;
                try
                {
                    tid = await CoordinatorCluster.BeginAsync(caller, TimeSpan.FromSeconds(3), stopLoad.Token);
                    var debit = await bank.TryAsync(http, tid, -Price, stopLoad.Token);
                    var credit = await shop.TryAsync(http, tid, Price, stopLoad.Token);
                    if (debit is null || credit is null)
                    {
                        answers[tid] = "try-refused";
                        await CoordinatorCluster.CancelAsync(caller, tid, stopLoad.Token);
                        continue;
                    }

                    if ((worker + n) % 10 == 0)
                    {
                        answers[tid] = "abandoned"; // the caller dies before deciding: presumed abort must cancel it
                        continue;
                    }

                    var (code, _) = await CoordinatorCluster.ConfirmAsync(caller, tid, [debit, credit], stopLoad.Token);
                    answers[tid] = code is HttpStatusCode.OK or HttpStatusCode.Accepted ? "confirm-acknowledged" : "confirm-" + (int)code;
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
                {
                    // The coordinator died under this call (or the load stopped): whatever it made durable still counts.
                    if (tid is not null)
                    {
                        answers.TryAdd(tid, "interrupted");
                    }
                }
            }
        }

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkerAsync(w), CancellationToken.None)).ToArray();
        await Task.Delay(Warmup + LoadPhase, ct);

        var victim = cluster.Nodes[^1];
        var victimId = await cluster.InstanceIdAsync(victim);
        Assert.False(string.IsNullOrEmpty(victimId), "The victim's lease row was not found.");
        // Kill it while it is driving decided transactions: on a busy machine confirms can be so quick that a kill at a
        // fixed moment finds none in flight and exercises no takeover.
        for (var until = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < until; await Task.Delay(5, ct))
        {
            if (await db.ScalarAsync<long>("SELECT count(*) FROM twist.transactions WHERE owner = $1 AND status IN (1, 3)", victimId) > 0)
            {
                break;
            }
        }

        await victim.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        Volatile.Write(ref dead[^1], true);
        var orphans = await db.ListAsync("SELECT tid FROM twist.transactions WHERE owner = $1 AND status IN (1, 3)", r => r.GetString(0), victimId);

        var takeover = WatchTakeoverAsync(db, victimId, orphans, killedAt, ct);
        await Task.Delay(LoadPhase, ct);
        await stopLoad.CancelAsync();
        await Task.WhenAll(workers);
        var (firstClaim, allClaimed, allFinished) = await takeover;

        // Everything ends: undecided transactions time out (3 s) and are cancelled by the survivors.
        var unfinished = -1L;
        for (var deadline = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < deadline; await Task.Delay(200, ct))
        {
            unfinished = await db.ScalarAsync<long>("SELECT count(*) FROM twist.transactions WHERE status IN (0, 1, 3)");
            if (unfinished == 0)
            {
                break;
            }
        }

        Assert.True(unfinished == 0, $"{unfinished} transactions never finished. Survivor output:\n{cluster.Nodes[0].Output}");
        Assert.True(orphans.Count > 0, "The killed coordinator had no transaction in flight, so no takeover was exercised.");
        Assert.NotNull(allFinished);
        Assert.True(allClaimed <= lease + TimeSpan.FromSeconds(5), $"Taking the killed node's transactions over took {allClaimed}, more than its {lease} lease allows.");

        var stored = (await db.ListAsync(
            "SELECT tid, status, coalesce(reason, ''), epoch, completed_at FROM twist.transactions",
            r => (Tid: r.GetString(0), Status: r.GetInt32(1), Reason: r.GetString(2), Epoch: r.GetInt64(3), CompletedAt: r.GetFieldValue<DateTimeOffset>(4))))
            .ToDictionary(t => t.Tid, StringComparer.Ordinal);
        var bankHolds = (await bank.HoldsAsync()).ToDictionary(h => h.Tid, StringComparer.Ordinal);
        var shopHolds = (await shop.HoldsAsync()).ToDictionary(h => h.Tid, StringComparer.Ordinal);

        // What a caller was told holds: an acknowledged confirm ends Confirmed, an abandoned transaction is cancelled.
        foreach (var (tid, answer) in answers)
        {
            if (answer == "confirm-acknowledged")
            {
                Assert.Equal(2, stored[tid].Status);
            }
            else if (answer == "abandoned" && stored.TryGetValue(tid, out var abandoned))
            {
                Assert.Equal((4, "timeout"), (abandoned.Status, abandoned.Reason));
            }
        }

        // One decision per transaction, applied exactly once by each participant: never both phases, never twice.
        foreach (var hold in bankHolds.Values.Concat(shopHolds.Values))
        {
            Assert.True(hold.Confirms <= 1 && hold.Cancels <= 1 && hold.Confirms + hold.Cancels <= 1, $"{hold} applied a phase more than once or both phases.");
        }

        foreach (var (tid, transaction) in stored)
        {
            var legs = new[] { bankHolds.GetValueOrDefault(tid), shopHolds.GetValueOrDefault(tid) };
            if (transaction.Status == 2)
            {
                Assert.All(legs, h => Assert.Equal(("confirmed", 1, 0), (h!.State, h.Confirms, h.Cancels)));
            }
            else
            {
                Assert.All(legs, h => Assert.True(h is null || h.Confirms == 0, $"{tid} was cancelled but {h} was confirmed."));
            }
        }

        Assert.DoesNotContain(bank.Calls.Concat(shop.Calls), c => c.Status is 404 or 409);
        var bankGuard = await bank.GuardRowsAsync();
        var shopGuard = await shop.GuardRowsAsync();
        var confirmedTids = stored.Values.Where(t => t.Status == 2).Select(t => t.Tid).ToHashSet(StringComparer.Ordinal);
        Assert.All(bankGuard.Concat(shopGuard).Where(g => confirmedTids.Contains(g.Tid)), g => Assert.Equal("confirmed", g.State));

        // Money: the bank's balance plus what is held or spent is what it opened with; the shop got what was spent.
        var bankBalance = await bank.BalanceAsync();
        var held = bankHolds.Values.Where(h => h.State == "held").Sum(h => -h.Amount);
        var spent = bankHolds.Values.Where(h => h.State == "confirmed").Sum(h => -h.Amount);
        Assert.Equal(Opening, bankBalance + held + spent);
        Assert.Equal(spent, await shop.BalanceAsync());
        Assert.Equal(confirmedTids.Count * Price, spent);

        // Figures.
        var perSecond = stored.Values.Where(t => t.Status == 2)
            .GroupBy(t => (int)Math.Floor((t.CompletedAt - killedAt).TotalSeconds))
            .ToDictionary(g => g.Key, g => g.Count());
        var steady = Math.Max(1, (int)LoadPhase.TotalSeconds);
        var before = Enumerable.Range(-steady, steady).Select(s => perSecond.GetValueOrDefault(s)).ToArray();
        var baseline = before.Average();
        // Whole seconds while the load still ran, up to a second past the takeover.
        var window = Math.Min((int)Math.Ceiling((allFinished ?? lease).TotalSeconds) + 1, (int)LoadPhase.TotalSeconds);
        var after = Enumerable.Range(0, window).Select(s => perSecond.GetValueOrDefault(s)).ToArray();
        var interrupted = answers.Values.Count(a => a == "interrupted");
        var takenOverRows = bankGuard.Concat(shopGuard).Count(g => g.Epoch >= 2);
        var refused = bank.Calls.Concat(shop.Calls).Count(c => c.Status == 412);
        Report(string.Create(CultureInfo.InvariantCulture,
            $"failover: lease {lease.TotalSeconds:0.#} s; {stored.Count} transactions ({confirmedTids.Count} confirmed, {stored.Values.Count(t => t.Reason == "timeout")} timed out); " +
            $"killed node owned {orphans.Count} in flight; first takeover {Ms(firstClaim)}, all taken over {Ms(allClaimed)}, all finished {Ms(allFinished)} after the kill; " +
            $"confirmed per second in the {steady} s before the kill [{string.Join(", ", before)}] (mean {baseline:0.0}), in the seconds after it [{string.Join(", ", after)}] " +
            $"(lowest {(baseline == 0 ? 0 : after.Min() / baseline):P0} of the mean); {interrupted} caller requests cut by the kill; " +
            $"{takenOverRows} guard rows written under a takeover epoch, {refused} calls refused for a stale epoch; no phase applied twice; money conserved"));
    }

    private static string Ms(TimeSpan? value) => value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.TotalMilliseconds:0} ms") : "never";

    /// <summary>Polls the store until every transaction the killed node owned is finished; returns when the first was claimed, all were, and all finished.</summary>
    private static async Task<(TimeSpan? FirstClaim, TimeSpan? AllClaimed, TimeSpan? AllFinished)> WatchTakeoverAsync(
        ClusterDatabase db, string victimId, List<string> orphans, DateTimeOffset killedAt, CancellationToken ct)
    {
        TimeSpan? first = null, all = null;
        var tids = orphans.ToArray();
        for (var deadline = DateTime.UtcNow.AddSeconds(90); DateTime.UtcNow < deadline; await Task.Delay(25, ct))
        {
            var rows = await db.ListAsync(
                "SELECT count(*) FILTER (WHERE owner = $1), count(*) FILTER (WHERE status IN (2, 4)) FROM twist.transactions WHERE tid = ANY($2)",
                r => (Owned: r.GetInt64(0), Finished: r.GetInt64(1)), victimId, tids);
            var (owned, finished) = rows[0];
            var now = DateTimeOffset.UtcNow - killedAt;
            if (owned < tids.Length)
            {
                first ??= now;
            }

            if (owned == 0)
            {
                first ??= now;
                all ??= now;
            }

            if (finished == tids.Length)
            {
                first ??= now;
                all ??= now;
                return (first, all, now);
            }
        }

        return (first, all, null);
    }
}
