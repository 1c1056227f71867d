using Microsoft.Data.Sqlite;
using Twist.Client;
using Twist.Samples.Transfer.Bank;
using Twist.Samples.Transfer.Caller;
using Twist.Samples.Transfer.Game;
using Twist.Transactions;

namespace Twist.Samples.Transfer;

/// <summary>
/// Seed 003's story: USER1 spends $100 of stored value at BANK1 to buy 100 points in GAME1; either both happen or
/// neither does. Starts BANK1 and GAME1 (two web services, each with its own SQLite file, on loopback ports), runs a
/// purchase that succeeds and three that fail, prints what happened and checks the invariants.
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
        // The services read the same keys as when they run as their own processes (see their Program.cs).
        string[] Settings(string section, string file) =>
        [
            $"--{section}:Database={Path.Combine(data, file)}",
            $"--Twist:Participant:CoordinatorCredential:BearerToken={options.ParticipantToken}",
            $"--Logging:LogLevel:Default={(options.Verbose ? "Information" : "None")}",
            // Quiet means quiet: the services' defaults show the framework's warnings, e.g. Kestrel's 'HTTP/2 is not
            // enabled', which GAME1's cleartext HTTP/2 makes moot.
            $"--Logging:LogLevel:Microsoft={(options.Verbose ? "Warning" : "None")}",
        ];

        var (bankApp, bankAddress) = await BankService.StartAsync(Settings(BankService.Section, "bank1.db"), cancellationToken);
        await using var bankLifetime = bankApp;
        var (gameApp, gameAddress) = await GameService.StartAsync(Settings(GameService.Section, "game1.db"), options.GameLinks, cancellationToken);
        await using var gameLifetime = gameApp;

        using var caller = BuildCaller(options, data, bankAddress, gameAddress);
        await caller.StartAsync(cancellationToken);
        try
        {
            var services = caller.Services;
            var shop = services.GetRequiredService<PointsShop>();
            var story = new Story(output, services.GetRequiredService<ITwistClient>(), services.GetRequiredService<BankClient>(), services.GetRequiredService<GameClient>());

            var where = options.Coordinator == TwistCoordinatorKind.Embedded
                ? "embedded in this process (SQLite)"
                : $"hosted, {options.Coordinator.ToString().ToLowerInvariant()} at {options.Address}";
            output.WriteLine("Twist sample (seed 003): USER1 spends $100 at BANK1 to buy 100 points in GAME1.");
            output.WriteLine($"  coordinator {where}");
            output.WriteLine($"  BANK1 {bankAddress}: http:// participant links, Confirm and Cancel over REST");
            output.WriteLine(options.GameLinks == GameLinks.Grpc
                ? $"  GAME1 {gameAddress}: grpc:// participant links, Confirm and Cancel over gRPC (twist.v1.Participant, cleartext HTTP/2 on the same port)"
                : $"  GAME1 {gameAddress}: http:// participant links, Confirm and Cancel over REST");
            await story.ShowAsync("start", expectedDollars: BankService.DefaultOpeningBalance, expectedPoints: 0, cancellationToken);

            output.WriteLine();
            output.WriteLine("1) USER1 buys 100 points for $100.");
            await story.ExpectAsync(await shop.BuyAsync(User, 100, 100, abandon: false, cancellationToken), TransactionStatus.Confirmed, 900, 100, cancellationToken);

            output.WriteLine();
            output.WriteLine($"2) USER1 tries to buy 400 points for $400, but GAME1 sells at most {GameService.DefaultMaxPointsPerPurchase} per purchase.");
            await story.ExpectAsync(await shop.BuyAsync(User, 400, 400, abandon: false, cancellationToken), TransactionStatus.Cancelled, 900, 100, cancellationToken);

            output.WriteLine();
            output.WriteLine("3) USER1 starts buying 50 points for $50, then closes the browser before paying (no confirm).");
            await story.ExpectAsync(await shop.BuyAsync(User, 50, 50, abandon: true, cancellationToken), TransactionStatus.Cancelled, 900, 100, cancellationToken);

            output.WriteLine();
            output.WriteLine("4) USER1 tries to buy 5000 points for $5000 with $900 left.");
            await story.ExpectAsync(await shop.BuyAsync(User, 5000, 5000, abandon: false, cancellationToken), TransactionStatus.Cancelled, 900, 100, cancellationToken);

            output.WriteLine();
            await story.SummarizeAsync(cancellationToken);
            return story.Failures == 0 ? 0 : 1;
        }
        finally
        {
            await caller.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The caller's host: the Twist client (and the embedded coordinator), the typed participant clients and the shop.</summary>
    private static IHost BuildCaller(SampleOptions options, string data, Uri bank, Uri game)
    {
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

        // Typed clients with propagation: calls made inside twist.BeginAsync(...) carry the transaction, and their Try
        // answers register the participant links with it.
        builder.Services.AddHttpClient<BankClient>(http => http.BaseAddress = bank).AddTwistTransactionPropagation();
        builder.Services.AddHttpClient<GameClient>(http => http.BaseAddress = game).AddTwistTransactionPropagation();
        builder.Services.AddTransient<PointsShop>();
        return builder.Build();
    }

    private static void DeleteDatabase(string path)
    {
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Prints the balances after each purchase and counts the checks that failed.</summary>
    private sealed class Story(TextWriter output, ITwistClient twist, BankClient bank, GameClient game)
    {
        private readonly List<(string Tid, TransactionStatus Status)> outcomes = [];

        public int Failures { get; private set; }

        public async Task ExpectAsync(Purchase purchase, TransactionStatus expected, long expectedDollars, long expectedPoints, CancellationToken cancellationToken)
        {
            var status = await SettleAsync(purchase.Tid, purchase.Status, cancellationToken);
            outcomes.Add((purchase.Tid, status));
            output.WriteLine($"   transaction {purchase.Tid}: {status}: {purchase.Summary}");
            await ShowLinksAsync(purchase.Tid, cancellationToken);
            Check(status == expected, $"expected the transaction to end {expected}, it is {status}");
            await ShowAsync("now", expectedDollars, expectedPoints, cancellationToken);
        }

        public async Task ShowAsync(string label, long expectedDollars, long expectedPoints, CancellationToken cancellationToken)
        {
            var (account, points) = await ReadAsync(cancellationToken);
            var ok = account.Balance == expectedDollars && points.Points == expectedPoints && account.Held == 0 && points.Pending == 0;
            output.WriteLine($"   {label,-5} BANK1 USER1 ${account.Balance} (held ${account.Held}), GAME1 USER1 {points.Points} points (pending {points.Pending})  " +
                $"[{(ok ? "ok" : $"FAIL: expected ${expectedDollars} and {expectedPoints} points, nothing held")}]");
            Check(ok, null);
        }

        public async Task SummarizeAsync(CancellationToken cancellationToken)
        {
            var (account, points) = await ReadAsync(cancellationToken);
            var conserved = account.Balance + account.Held + account.Spent == BankService.DefaultOpeningBalance;
            var matched = points.Points == points.Credited && points.Credited == account.Spent;
            output.WriteLine($"Invariants: money conserved (${account.Balance} + ${account.Held} held + ${account.Spent} spent = ${BankService.DefaultOpeningBalance}) [{(conserved ? "ok" : "FAIL")}], " +
                $"points match dollars spent ({points.Points} points for ${account.Spent}) [{(matched ? "ok" : "FAIL")}]");
            Check(conserved, null);
            Check(matched, null);

            var confirmed = outcomes.Count(o => o.Status == TransactionStatus.Confirmed);
            var cancelled = outcomes.Count(o => o.Status == TransactionStatus.Cancelled);
            output.WriteLine($"Summary: {outcomes.Count} purchases, {confirmed} confirmed, {cancelled} cancelled and fully restored; " +
                $"USER1 ends with ${account.Balance} at BANK1 and {points.Points} points at GAME1.");
            output.WriteLine(Failures == 0
                ? "Result: OK, every purchase was all-or-nothing."
                : $"Result: FAILED, {Failures} check(s) did not hold.");
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

        /// <summary>Prints the participant links as the coordinator recorded them: where, over which transport, and each one's outcome.</summary>
        private async Task ShowLinksAsync(string tid, CancellationToken cancellationToken)
        {
            var participants = (await twist.Coordinator.GetAsync(tid, cancellationToken)).Participants;
            if (participants.Count == 0)
            {
                output.WriteLine("   link  none: nothing was reserved");
                return;
            }

            foreach (var participant in participants)
            {
                var transport = participant.Uri.Scheme is "grpc" or "grpcs" ? "gRPC" : "REST";
                output.WriteLine($"   link  {participant.Uri.AbsoluteUri.Replace(tid, "{tid}", StringComparison.Ordinal)}: {participant.Status} over {transport}");
            }
        }

        /// <summary>Waits (bounded) while the coordinator is still delivering a decision (Confirming or Cancelling).</summary>
        private async Task<TransactionStatus> SettleAsync(string tid, TransactionStatus status, CancellationToken cancellationToken)
        {
            for (var i = 0; i < 100 && !status.IsFinished(); i++)
            {
                status = (await twist.Coordinator.GetAsync(tid, cancellationToken)).Status;
                if (!status.IsFinished())
                {
                    await Task.Delay(100, cancellationToken);
                }
            }

            return status;
        }

        private async Task<(AccountView Account, PointsView Points)> ReadAsync(CancellationToken cancellationToken) =>
            (await bank.GetAccountAsync(User, cancellationToken), await game.GetUserAsync(User, cancellationToken));
    }
}
