using System.Net.Http.Json;
using Twist.Client.Testing.Tests.Participants;
using Twist.Testing;

namespace Twist.Client.Testing.Tests;

public sealed class ParticipantConformanceKitTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_participant_built_on_the_sdk_guard_passes_every_scenario_including_a_confirm_after_expiry()
    {
        await using var wallet = await SdkWallet.StartAsync(reservationLifetime: TimeSpan.FromSeconds(1));
        var options = new ParticipantConformanceOptions
        {
            BaseAddress = wallet.Address,
            ParticipantName = "wallet-debit",
            CreateTryContent = _ => JsonContent.Create(new DebitRequest(1)),
            CreateFailingTryContent = _ => JsonContent.Create(new DebitRequest(1_000_000)),
            CoordinatorBearerToken = SdkWallet.Token,
            ResendDelay = TimeSpan.FromMilliseconds(200),
            MaxExpiryWait = TimeSpan.FromSeconds(5),
        };
        options.Measures.Add(new ConformanceMeasure("balance", ct => wallet.ReadAsync("balance", ct), confirmedChange: -1));
        options.Measures.Add(new ConformanceMeasure("spent", ct => wallet.ReadAsync("spent", ct), confirmedChange: 1));
        using var kit = new ParticipantConformanceKit(options);

        var report = await kit.AssertConformsAsync(Ct);

        Assert.Equal(6, report.Scenarios.Count);
        Assert.All(report.Scenarios, s => Assert.Equal(ConformanceOutcome.Passed, s.Outcome));
        Assert.Contains(report[ConformanceScenarios.TimeoutRacingConfirm].Steps, s => s.StartsWith("Confirm after the link expired", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_correct_hand_written_participant_passes_every_scenario()
    {
        await using var wallet = await HandWrittenWallet.StartAsync(WalletFlaw.None);
        using var kit = new ParticipantConformanceKit(Options(wallet));

        var report = await kit.RunAsync(Ct);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(6, report.Scenarios.Count(s => s.Outcome == ConformanceOutcome.Passed));
    }

    [Theory]
    [InlineData(WalletFlaw.ConfirmNotIdempotent, ConformanceScenarios.DuplicateConfirm, "as if Confirm was applied")]
    [InlineData(WalletFlaw.CancelWithoutTryFails, ConformanceScenarios.NullCompensation, "answered 500")]
    [InlineData(WalletFlaw.AcceptsLateTry, ConformanceScenarios.Hanging, "The late Try was answered 200")]
    [InlineData(WalletFlaw.CancelRefundsWhatWasNeverHeld, ConformanceScenarios.CancelAfterFailedTry, "'balance' changed by 1000000")]
    [InlineData(WalletFlaw.ForgetsConfirmedTransactions, ConformanceScenarios.CoordinatorCrash, "The re-sent Confirm was answered 404")]
    [InlineData(WalletFlaw.DecidesWithoutLock, ConformanceScenarios.TimeoutRacingConfirm, "both Confirm (200) and Cancel (200) succeeded")]
    public async Task Each_broken_behaviour_is_reported_by_the_scenario_made_for_it(WalletFlaw flaw, ConformanceScenarios scenario, string problem)
    {
        await using var wallet = await HandWrittenWallet.StartAsync(flaw);
        using var kit = new ParticipantConformanceKit(Options(wallet));

        var report = await kit.RunAsync(Ct);

        var result = report[scenario];
        Assert.Equal(ConformanceOutcome.Failed, result.Outcome);
        Assert.Contains(result.Problems, p => p.Contains(problem, StringComparison.Ordinal));
        var thrown = Assert.Throws<ParticipantConformanceException>(report.ThrowIfFailed);
        Assert.Contains($"FAIL  {scenario}", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(problem, thrown.Message, StringComparison.Ordinal);
        Assert.Contains("steps:", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_participant_that_cannot_be_reached_fails_every_scenario_with_a_readable_reason()
    {
        using var kit = new ParticipantConformanceKit(new ParticipantConformanceOptions
        {
            BaseAddress = new Uri("http://127.0.0.1:9"), // discard port: nothing listens
            TryPath = "/wallet",
            CreateTryContent = _ => JsonContent.Create(new DebitRequest(1)),
            Scenarios = ConformanceScenarios.DuplicateConfirm | ConformanceScenarios.CancelAfterFailedTry,
        });

        var report = await kit.RunAsync(Ct);

        Assert.False(report.Passed);
        Assert.Contains("no answer", report[ConformanceScenarios.DuplicateConfirm].Problems.Single(), StringComparison.Ordinal);
        Assert.Equal(ConformanceOutcome.Skipped, report[ConformanceScenarios.CancelAfterFailedTry].Outcome); // no failing request given
    }

    [Fact]
    public void Incomplete_options_are_refused_with_what_to_set()
    {
        var error = Assert.Throws<ArgumentException>(() => new ParticipantConformanceKit(new ParticipantConformanceOptions()));

        Assert.Contains("BaseAddress", error.Message, StringComparison.Ordinal);
        Assert.Contains("ParticipantName", error.Message, StringComparison.Ordinal);
        Assert.Contains("CreateTryContent", error.Message, StringComparison.Ordinal);
    }

    private static ParticipantConformanceOptions Options(HandWrittenWallet wallet)
    {
        var options = new ParticipantConformanceOptions
        {
            BaseAddress = wallet.Address,
            TryPath = "/wallet",
            CreateTryContent = _ => JsonContent.Create(new DebitRequest(1)),
            CreateFailingTryContent = _ => JsonContent.Create(new DebitRequest(1_000_000)),
            ResendDelay = TimeSpan.FromMilliseconds(100),
        };
        options.Measures.Add(new ConformanceMeasure("balance", _ => Task.FromResult((decimal)wallet.Balance), confirmedChange: -1));
        options.Measures.Add(new ConformanceMeasure("spent", _ => Task.FromResult((decimal)wallet.Spent), confirmedChange: 1));
        return options;
    }
}
