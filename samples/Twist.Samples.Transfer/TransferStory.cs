using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Twist.Client;
using Twist.Samples.Transfer.Caller;
using Twist.Samples.Transfer.Participants;
using Twist.Transactions;

namespace Twist.Samples.Transfer;

/// <summary>
/// Seed 003's story: USER1 spends $100 of stored value at BANK1 to buy 100 points in GAME1; either both happen or
/// neither does. Runs the happy path and three failures, prints what happened and checks the invariants.
/// </summary>
internal static class TransferStory
{
    private const string User = BankService.Account;

    /// <summary>Runs the story; returns 0 when every step and invariant held, else 1.</summary>
    public static async Task<int> RunAsync(SampleOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var ownsData = options.DataDirectory is null;
        var data = options.DataDirectory ?? Path.Combine(Path.GetTempPath(), "twist-sample-transfer-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        foreach (var name in new[] { "bank1.db", "game1.db", "coordinator.db" })
        {
            DeleteDatabase(Path.Combine(data, name)); // the story starts from USER1's opening balance every time
        }

        try
        {
            return await RunCoreAsync(options, data, output, cancellationToken);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (ownsData)
            {
                try
                {
                    Directory.Delete(data, recursive: true);
                }
                catch (IOException)
                {
                    // A temp folder left behind is harmless.
                }
            }
        }
    }

    private static async Task<int> RunCoreAsync(SampleOptions options, string data, TextWriter output, CancellationToken cancellationToken)
    {
        await using var bank = await BankService.StartAsync(Path.Combine(data, "bank1.db"), options.ParticipantToken, options.Verbose, cancellationToken);
        await using var game = await GameService.StartAsync(Path.Combine(data, "game1.db"), options.ParticipantToken, options.Verbose, cancellationToken);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        if (options.Verbose)
        {
            builder.Logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff '[WEB]' ";
            });
            builder.Logging.SetMinimumLevel(LogLevel.Debug).AddFilter("Microsoft", LogLevel.Warning).AddFilter("System", LogLevel.Warning);
        }

        if (options.Coordinator == TwistCoordinatorKind.Embedded)
        {
            builder.Services.AddTwistCoordinator(o =>
            {
                o.UseSqlite(Path.Combine(data, "coordinator.db"));
                o.AllowedParticipantHosts.Add("127.0.0.1");
                o.ParticipantCredential.BearerToken = options.ParticipantToken;
            });
        }

        builder.Services.AddTwistClient(o =>
        {
            o.Coordinator = options.Coordinator;
            o.Address = options.Address;
            o.ApiKey = options.ApiKey;
        });
        builder.Services.AddHttpClient("participants").AddTwistTransactionPropagation();

        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        try
        {
            var twist = host.Services.GetRequiredService<ITwistClient>();
            var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("participants");
            var shop = new PointsShop(twist, http, bank.BaseAddress, game.BaseAddress);
            var story = new Story(output, twist, http, bank.BaseAddress, game.BaseAddress);

            var where = options.Coordinator == TwistCoordinatorKind.Embedded
                ? "embedded in this process (SQLite)"
                : $"{options.Coordinator.ToString().ToLowerInvariant()} at {options.Address}";
            output.WriteLine("Twist sample (seed 003): USER1 spends $100 at BANK1 to buy 100 points in GAME1.");
            output.WriteLine($"  coordinator {where}; BANK1 {bank.BaseAddress}, GAME1 {game.BaseAddress}");
            await story.ShowAsync("start", expectedDollars: 1000, expectedPoints: 0, cancellationToken);

            output.WriteLine();
            output.WriteLine("1) USER1 buys 100 points for $100.");
            var bought = await shop.BuyAsync(User, 100, 100, abandon: false, cancellationToken);
            await story.ExpectAsync(bought, TransactionStatus.Confirmed, 900, 100, cancellationToken);

            output.WriteLine();
            output.WriteLine($"2) USER1 tries to buy 400 points for $400, but GAME1 sells at most {GameService.MaxPointsPerPurchase} per purchase.");
            var rejected = await shop.BuyAsync(User, 400, 400, abandon: false, cancellationToken);
            await story.ExpectAsync(rejected, TransactionStatus.Cancelled, 900, 100, cancellationToken);

            output.WriteLine();
            output.WriteLine("3) USER1 starts buying 50 points for $50, then closes the browser before paying (no confirm).");
            var abandoned = await shop.BuyAsync(User, 50, 50, abandon: true, cancellationToken);
            await story.ExpectAsync(abandoned, TransactionStatus.Cancelled, 900, 100, cancellationToken);

            output.WriteLine();
            output.WriteLine("4) USER1 tries to buy 5000 points for $5000 with $900 left.");
            var broke = await shop.BuyAsync(User, 5000, 5000, abandon: false, cancellationToken);
            await story.ExpectAsync(broke, TransactionStatus.Cancelled, 900, 100, cancellationToken);

            output.WriteLine();
            await story.CheckInvariantsAsync(cancellationToken);
            output.WriteLine(story.Failures == 0
                ? "Result: OK, every purchase was all-or-nothing."
                : $"Result: FAILED, {story.Failures} check(s) did not hold.");
            return story.Failures == 0 ? 0 : 1;
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Prints the balances and counts the checks that failed.</summary>
    private sealed class Story(TextWriter output, ITwistClient twist, HttpClient http, Uri bank, Uri game)
    {
        public int Failures { get; private set; }

        public async Task ExpectAsync(PurchaseResult result, TransactionStatus expected, long expectedDollars, long expectedPoints, CancellationToken cancellationToken)
        {
            var status = await SettleAsync(result.Tid, result.Status, cancellationToken);
            output.WriteLine($"   transaction {result.Tid}: {status}: {result.Summary}");
            Check(status == expected, $"expected the transaction to end {expected}, it is {status}");
            await ShowAsync("now", expectedDollars, expectedPoints, cancellationToken);
        }

        public async Task ShowAsync(string label, long expectedDollars, long expectedPoints, CancellationToken cancellationToken)
        {
            var (account, points) = await ReadAsync(cancellationToken);
            var ok = account.Balance == expectedDollars && points.Points == expectedPoints && account.Held == 0 && points.Pending == 0;
            output.WriteLine($"   {label,-5} BANK1 USER1 ${account.Balance} (held ${account.Held}), GAME1 USER1 {points.Points} points (pending {points.Pending})  [{(ok ? "ok" : $"FAIL: expected ${expectedDollars} and {expectedPoints} points, nothing held")}]");
            Check(ok, null);
        }

        public async Task CheckInvariantsAsync(CancellationToken cancellationToken)
        {
            var (account, points) = await ReadAsync(cancellationToken);
            var conserved = account.Balance + account.Held + account.Spent == BankService.OpeningBalance;
            var matched = points.Points == points.Credited && points.Credited == account.Spent;
            output.WriteLine($"Invariants: money conserved (${account.Balance} + ${account.Held} held + ${account.Spent} spent = ${BankService.OpeningBalance}) [{(conserved ? "ok" : "FAIL")}], " +
                $"points match dollars spent ({points.Points} points for ${account.Spent}) [{(matched ? "ok" : "FAIL")}]");
            Check(conserved, null);
            Check(matched, null);
        }

        private void Check(bool condition, string? message)
        {
            if (condition)
            {
                return;
            }

            Failures++;
            if (message is not null)
            {
                output.WriteLine($"   FAIL: {message}");
            }
        }

        /// <summary>Waits (bounded) while the coordinator is still delivering a decision (Confirming or Cancelling).</summary>
        private async Task<TransactionStatus> SettleAsync(string tid, TransactionStatus status, CancellationToken cancellationToken)
        {
            for (var i = 0; i < 100 && !status.IsFinished(); i++)
            {
                await Task.Delay(100, cancellationToken);
                status = (await twist.Coordinator.GetAsync(tid, cancellationToken)).Status;
            }

            return status;
        }

        private async Task<(BankService.AccountView Account, GameService.PointsView Points)> ReadAsync(CancellationToken cancellationToken)
        {
            var account = await http.GetFromJsonAsync<BankService.AccountView>(new Uri(bank, $"api/bank/accounts/{User}"), cancellationToken);
            var points = await http.GetFromJsonAsync<GameService.PointsView>(new Uri(game, $"api/game/users/{User}"), cancellationToken);
            return (account!, points!);
        }
    }
}
