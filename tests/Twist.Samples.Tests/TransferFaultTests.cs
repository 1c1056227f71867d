using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Twist.Client;
using Twist.Errors;
using Twist.Samples.Tests.Infrastructure;
using Twist.Samples.Transfer.Caller;
using Twist.Transactions;

namespace Twist.Samples.Tests;

/// <summary>The fault test runs alone: it starts five processes and keeps both cores busy.</summary>
[CollectionDefinition(nameof(FaultTests), DisableParallelization = true)]
public sealed class FaultTests;

/// <summary>
/// The sample's purchase (PointsShop, BANK1/BANK2 and GAME1 as real processes, the hosted coordinator as a real
/// process) under faults: 5xx answers, lost answers and delays on every participant call (Try, Confirm, Cancel), a
/// bank, the game and the coordinator killed with SIGKILL and restarted mid-run. Afterwards every transaction is decided
/// everywhere, money is conserved, and the guard records show each Confirm applied exactly once.
/// </summary>
[Collection(nameof(FaultTests))]
public sealed class TransferFaultTests
{
    private const int Transfers = 1000;
    private const int Workers = 16;
    private const int Users = 10;
    private const long OpeningBalance = 1000;
    private const string Token = "fault-test-participant-token";

    [Fact]
    public async Task A_thousand_random_purchases_under_5xx_delays_and_killed_processes_conserve_money_and_all_end_decided()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = Stopwatch.StartNew();
        var folder = Directory.CreateTempSubdirectory("twist-fault-");
        // A reservation must outlive the longest delivery delay (a transaction decided just before a participant or the
        // coordinator is killed, retried until it is back: ~5 s to restart a process here, more on a busy CI machine), or
        // the participant's own expiry cancels it first and the late Confirm is a heuristic outcome. It also bounds the
        // drain: reservations whose Try answer was lost are known to nobody but the participant, and lapse only then.
        var timings = new ParticipantTimings(Token, ReservationLifetime: TimeSpan.FromSeconds(20));
        await using var coordinator = await HostedCoordinator.StartAsync(Path.Combine(folder.FullName, "coordinator.db"), Token, ct, new Dictionary<string, string>
        {
            ["Twist__Coordinator__TimeoutSweepInterval"] = "00:00:00.100",
            ["Twist__Coordinator__RecoveryInterval"] = "00:00:00.500",
            ["Twist__Coordinator__RetryBaseDelay"] = "00:00:00.050",
            ["Twist__Coordinator__RetryMaxDelay"] = "00:00:00.500",
            ["Twist__Coordinator__MaxAttemptsPerParticipant"] = "1000", // faults must delay, never park, a delivery
            ["Twist__Coordinator__ParticipantCallTimeout"] = "00:00:02", // some injected delays are longer: the call is retried
            ["Twist__Coordinator__DecisionWaitTimeout"] = "00:00:01",
        });
        var starting = new[]
        {
            ParticipantProcess.StartBankAsync("BANK1", folder.FullName, Users, OpeningBalance, timings, seed: 1, ct),
            ParticipantProcess.StartBankAsync("BANK2", folder.FullName, Users, OpeningBalance, timings, seed: 2, ct),
            ParticipantProcess.StartGameAsync("GAME1", folder.FullName, timings, seed: 3, ct),
        };
        ParticipantProcess[] participants;
        try
        {
            participants = await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var up in starting.Where(t => t.IsCompletedSuccessfully))
            {
                await (await up).DisposeAsync();
            }

            throw;
        }

        await using var bank1 = participants[0];
        await using var bank2 = participants[1];
        await using var game = participants[2];
        var banks = new[] { bank1, bank2 };
        var started = clock.Elapsed;

        var recorder = new TidRecorder();
        using var caller = BuildCaller(coordinator, banks, game, recorder);
        await caller.StartAsync(ct);
        var twist = caller.Services.GetRequiredService<ITwistClient>();
        var http = caller.Services.GetRequiredService<IHttpClientFactory>();

        // The workload: random users, banks and amounts; some purchases abandoned, some refused by GAME1 (too many
        // points), more and more refused by the banks (the accounts run dry). A purchase counts once it got a tid.
        var failures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        async Task WorkerAsync(int worker)
        {
            var random = new Random(worker);
            while (recorder.Count < Transfers && !ct.IsCancellationRequested)
            {
                var bank = banks[random.Next(banks.Length)];
                var shop = new PointsShop(twist, new BankClient(http.CreateClient(bank.Name)), new GameClient(http.CreateClient(game.Name))) { Timeout = TimeSpan.FromSeconds(4) };
                var dollars = random.Next(1, 51);
                var roll = random.Next(100);
                try
                {
                    await shop.BuyAsync($"USER{random.Next(1, Users + 1)}", dollars, roll < 3 ? 350 : dollars, abandon: roll is >= 3 and < 8, ct);
                }
                catch (Exception ex) when (ex is TwistException or HttpRequestException or TimeoutException or TaskCanceledException && !ct.IsCancellationRequested)
                {
                    // The coordinator was down or killed mid-call: the outcome is for the coordinator's recovery to settle.
                    failures.AddOrUpdate(ex.GetType().Name, 1, (_, n) => n + 1);
                    await Task.Delay(200, ct);
                }
            }
        }

        var restarts = new ConcurrentQueue<string>();
        async Task ChaosAsync()
        {
            foreach (var (at, what, restart) in new (int, string, Func<Task>)[]
            {
                (Transfers / 4, "BANK1", () => bank1.RestartAsync(TimeSpan.FromSeconds(1), ct)),
                (Transfers / 2, "coordinator", () => coordinator.RestartAsync(TimeSpan.FromSeconds(1), ct)),
                (Transfers * 3 / 4, "GAME1", () => game.RestartAsync(TimeSpan.FromSeconds(1), ct)),
            })
            {
                while (recorder.Count < at)
                {
                    await Task.Delay(20, ct);
                }

                var down = Stopwatch.StartNew();
                await restart();
                var line = $"killed and restarted {what} after {at} purchases at {clock.Elapsed.TotalSeconds:F1} s; back in {down.Elapsed.TotalSeconds:F1} s";
                restarts.Enqueue(line);
                TestContext.Current.SendDiagnosticMessage(line);
            }
        }

        var chaos = ChaosAsync();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(WorkerAsync));
        await chaos;
        var workload = clock.Elapsed - started;

        // Drain: no more faults; every transaction must now reach a final state everywhere.
        foreach (var proxy in banks.Append(game).Select(p => p.Proxy))
        {
            proxy.FaultsEnabled = false;
        }

        var tids = recorder.Snapshot();
        var outcomes = await SettleAsync(twist.Coordinator, tids.Keys, banks.Append(game), ct);
        var drained = clock.Elapsed - started - workload;

        // 1. Every transaction ended decided at the coordinator, none needs an operator.
        var unfinished = outcomes.Where(o => o.Value is { } info && (!info.Status.IsFinished() || info.Attention != TransactionAttention.None)).ToList();
        Assert.True(unfinished.Count == 0, $"{unfinished.Count} transactions did not end cleanly: " +
            string.Join("; ", unfinished.Take(5).Select(o => $"{o.Key} {o.Value!.Status} {o.Value.Attention} {o.Value.Reason} [" +
                string.Join(", ", o.Value.Participants.Select(p => $"{p.Uri} {p.Status} after {p.Attempts} attempts: {p.LastError}")) + "]")) +
            $" (workload {workload.TotalSeconds:F1} s, drain {(clock.Elapsed - started - workload).TotalSeconds:F1} s)");
        var confirmed = outcomes.Where(o => o.Value?.Status == TransactionStatus.Confirmed).Select(o => o.Key).ToHashSet(StringComparer.Ordinal);

        // 2. The participants agree: a guard row is 'confirmed' exactly for the confirmed transactions, nothing is left open.
        var gameGuard = ParticipantLedger.GuardStates(game.DatabasePath);
        var credits = ParticipantLedger.Credits(game.DatabasePath);
        var points = ParticipantLedger.Points(game.DatabasePath);
        var spentPerUser = new Dictionary<string, long>(StringComparer.Ordinal);
        var guardRows = gameGuard.Count;
        foreach (var bank in banks)
        {
            var guard = ParticipantLedger.GuardStates(bank.DatabasePath);
            var holds = ParticipantLedger.Holds(bank.DatabasePath);
            var accounts = ParticipantLedger.Accounts(bank.DatabasePath);
            guardRows += guard.Count;
            Assert.All(guard, g => Assert.True(g.Value is "confirmed" or "cancelled", $"{bank.Name} guard row {g.Key} is still {g.Value}"));
            Assert.All(guard.Where(g => g.Value == "confirmed"), g => Assert.Contains(g.Key, confirmed));
            Assert.All(holds, h => Assert.NotEqual("held", h.Value.State));
            Assert.All(holds.Where(h => h.Value.State == "spent"), h => Assert.Equal("confirmed", guard.GetValueOrDefault(h.Key)));

            // 3. Money is conserved in each bank, and each account's spent dollars are exactly its spent holds: a Confirm
            // applied twice would add to 'spent' twice for one hold.
            Assert.Equal(Users * OpeningBalance, accounts.Values.Sum(a => a.Balance + a.Spent));
            foreach (var (account, (_, spent)) in accounts)
            {
                Assert.Equal(holds.Values.Where(h => h.Account == account && h.State == "spent").Sum(h => h.Amount), spent);
                spentPerUser[account] = spentPerUser.GetValueOrDefault(account) + spent;
            }

            foreach (var tid in confirmed.Where(t => tids[t].Contains(bank.Name)))
            {
                Assert.Equal("spent", holds[tid].State);
                Assert.Equal(holds[tid].Amount, credits[tid].Points); // $1 per point, both sides of the same purchase
            }
        }

        Assert.All(gameGuard, g => Assert.True(g.Value is "confirmed" or "cancelled", $"GAME1 guard row {g.Key} is still {g.Value}"));
        Assert.All(gameGuard.Where(g => g.Value == "confirmed"), g => Assert.Contains(g.Key, confirmed));
        Assert.All(credits, c => Assert.NotEqual("pending", c.Value.State));
        Assert.Equal(confirmed.Order(StringComparer.Ordinal), credits.Where(c => c.Value.State == "credited").Select(c => c.Key).Order(StringComparer.Ordinal));
        foreach (var user in spentPerUser.Keys)
        {
            // Points equal the credited purchases (no Confirm applied twice at GAME1) and the dollars spent at both banks.
            Assert.Equal(credits.Values.Where(c => c.User == user && c.State == "credited").Sum(c => c.Points), points.GetValueOrDefault(user));
            Assert.Equal(spentPerUser[user], points.GetValueOrDefault(user));
        }

        var cancelled = outcomes.Count(o => o.Value?.Status == TransactionStatus.Cancelled);
        var unknown = outcomes.Count(o => o.Value is null);
        Assert.True(confirmed.Count > Transfers / 4, $"only {confirmed.Count} of {tids.Count} purchases were confirmed; the faults should leave most of them working");
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{tids.Count} purchases: {confirmed.Count} confirmed, {cancelled} cancelled, {unknown} unknown to the coordinator (lost with its crash; the participants' expiry released them); " +
            $"{guardRows} guard rows, all final; caller errors: {string.Join(", ", failures.Select(f => $"{f.Key} {f.Value}"))}; " +
            $"{string.Join("; ", restarts)}; faults: {string.Join("; ", banks.Append(game).Select(p => $"{p.Name} {p.Proxy.Counts}"))}; " +
            $"start {started.TotalSeconds:F1} s, workload {workload.TotalSeconds:F1} s, drain {drained.TotalSeconds:F1} s, total {clock.Elapsed.TotalSeconds:F1} s");
        TestContext.Current.SendDiagnosticMessage(summary);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        await caller.StopAsync(CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        folder.Delete(recursive: true);
    }

    private static IHost BuildCaller(HostedCoordinator coordinator, ParticipantProcess[] banks, ParticipantProcess game, TidRecorder recorder)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddTwistClient(o =>
        {
            o.Coordinator = TwistCoordinatorKind.Grpc;
            o.Address = coordinator.Address;
            o.ApiKey = HostedCoordinator.ApiKey;
            o.RequestTimeout = TimeSpan.FromSeconds(5);
        });
        foreach (var participant in banks.Append(game))
        {
            builder.Services.AddHttpClient(participant.Name, http =>
            {
                http.BaseAddress = participant.Proxy.Address;
                http.Timeout = TimeSpan.FromSeconds(10);
            }).AddTwistTransactionPropagation().AddHttpMessageHandler(() => recorder.For(participant.Name));
        }

        return builder.Build();
    }

    /// <summary>
    /// Waits (bounded) until every transaction is final at the coordinator (or unknown to it) and no participant has an
    /// open guard row, then returns each transaction as the coordinator has it (null: unknown).
    /// </summary>
    private static async Task<Dictionary<string, TransactionInfo?>> SettleAsync(
        ITwistCoordinator coordinator, IEnumerable<string> tids, IEnumerable<ParticipantProcess> participants, CancellationToken ct)
    {
        var outcomes = tids.ToDictionary(t => t, _ => (TransactionInfo?)null, StringComparer.Ordinal);
        var open = outcomes.Keys.ToHashSet(StringComparer.Ordinal);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            foreach (var tid in open.ToList())
            {
                try
                {
                    var info = await coordinator.GetAsync(tid, ct);
                    outcomes[tid] = info;
                    if (info.Status.IsFinished() && info.Attention == TransactionAttention.None)
                    {
                        open.Remove(tid);
                    }
                }
                catch (TransactionNotFoundException)
                {
                    open.Remove(tid); // begun, but lost with the coordinator's crash before it was durable
                }
            }

            var openGuardRows = participants.Sum(p => ParticipantLedger.GuardStates(p.DatabasePath).Count(g => g.Value is "trying" or "tried"));
            if ((open.Count == 0 && openGuardRows == 0) || DateTime.UtcNow > deadline)
            {
                return outcomes;
            }

            await Task.Delay(250, ct);
        }
    }
}
