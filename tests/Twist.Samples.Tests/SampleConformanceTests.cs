using System.Net.Http.Json;
using Twist.Samples.Transfer.Bank;
using Twist.Samples.Transfer.Game;
using Twist.Testing;

namespace Twist.Samples.Tests;

/// <summary>The sample's participants, checked with the conformance kit the way a user checks their own.</summary>
public sealed class SampleConformanceTests
{
    private const string Token = "sample-conformance-token";

    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task Bank1s_debit_participant_passes_the_conformance_kit()
    {
        var folder = Directory.CreateTempSubdirectory("twist-sample-conformance-");
        try
        {
            var (app, address) = await BankService.StartAsync(Settings("Bank", Path.Combine(folder.FullName, "bank.db")), Ct);
            await using var bank = app;
            using var http = new HttpClient { BaseAddress = address };
            async Task<AccountView> AccountAsync(CancellationToken ct) => (await http.GetFromJsonAsync<AccountView>("api/bank/accounts/USER1", ct))!;
            var options = Options("/api/bank/debits", new DebitRequest("USER1", 1), new DebitRequest("USER1", 1_000_000));
            options.Measures.Add(new ConformanceMeasure("balance", async ct => (await AccountAsync(ct)).Balance, confirmedChange: -1));
            options.Measures.Add(new ConformanceMeasure("spent", async ct => (await AccountAsync(ct)).Spent, confirmedChange: 1));
            using var kit = new ParticipantConformanceKit(options, http);

            var report = await kit.AssertConformsAsync(Ct);

            Assert.All(report.Scenarios, s => Assert.Equal(ConformanceOutcome.Passed, s.Outcome));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Game1s_points_participant_passes_the_conformance_kit()
    {
        var folder = Directory.CreateTempSubdirectory("twist-sample-conformance-");
        try
        {
            var (app, address) = await GameService.StartAsync(Settings("Game", Path.Combine(folder.FullName, "game.db")), Ct);
            await using var game = app;
            using var http = new HttpClient { BaseAddress = address };
            async Task<PointsView> PointsAsync(CancellationToken ct) => (await http.GetFromJsonAsync<PointsView>("api/game/users/USER1", ct))!;
            var options = Options("/api/game/points", new CreditRequest("USER1", 1), new CreditRequest("USER1", 1_000_000));
            options.Measures.Add(new ConformanceMeasure("points", async ct => (await PointsAsync(ct)).Points, confirmedChange: 1));
            options.Measures.Add(new ConformanceMeasure("credited", async ct => (await PointsAsync(ct)).Credited, confirmedChange: 1));
            using var kit = new ParticipantConformanceKit(options, http);

            var report = await kit.AssertConformsAsync(Ct);

            Assert.All(report.Scenarios, s => Assert.Equal(ConformanceOutcome.Passed, s.Outcome));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }

    private static string[] Settings(string section, string database) =>
        [$"--{section}:Database={database}", $"--Twist:Participant:CoordinatorCredential:BearerToken={Token}", "--Logging:LogLevel:Default=None"];

    private static ParticipantConformanceOptions Options<TRequest>(string tryPath, TRequest accepted, TRequest refused) => new()
    {
        TryPath = tryPath,
        CreateTryContent = _ => JsonContent.Create(accepted),
        CreateFailingTryContent = _ => JsonContent.Create(refused),
        CoordinatorBearerToken = Token,
        ResendDelay = TimeSpan.FromMilliseconds(200),
    };
}
