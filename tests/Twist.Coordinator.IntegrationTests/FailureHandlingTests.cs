using Twist.Coordinator.IntegrationTests.Infrastructure;
using Twist.Coordinator.Operations;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Coordinator.IntegrationTests;

public sealed class FailureHandlingTests : IAsyncLifetime
{
    private ParticipantServer bank = null!;
    private CoordinatorHarness harness = null!;

    public async ValueTask InitializeAsync()
    {
        bank = await ParticipantServer.StartAsync();
        harness = await CoordinatorHarness.StartAsync(o => o.MaxAttemptsPerParticipant = 6);
    }

    public async ValueTask DisposeAsync()
    {
        await harness.DisposeAsync();
        await bank.DisposeAsync();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ParticipantLink Link(string name, string tid, TimeSpan? validFor = null) =>
        new(bank.Link(name, tid), DateTimeOffset.UtcNow + (validFor ?? TimeSpan.FromMinutes(1)));

    [Fact]
    public async Task Transient_5xx_answers_are_retried_until_the_participant_confirms()
    {
        bank.FailFirst("flaky", failures: 2, status: 503);
        var tx = await harness.Coordinator.BeginAsync(null, Ct);

        var result = await harness.Coordinator.ConfirmAsync(tx.Tid, [Link("flaky", tx.Tid)], Ct);

        Assert.Equal(TransactionStatus.Confirmed, result.Status);
        Assert.Equal(3, bank.CallsFor("flaky", tx.Tid).Count);
        var details = await harness.Operator.GetDetailsAsync(tx.Tid, Ct);
        Assert.Equal([ParticipantStatus.Failed, ParticipantStatus.Failed, ParticipantStatus.Confirmed], details.Attempts.Select(a => a.ResultStatus));
        Assert.Equal([503, 503, 200], details.Attempts.Select(a => a.StatusCode));
        Assert.Equal(3, details.Transaction.Participants.Single().Attempts);
    }

    [Fact]
    public async Task Retry_delays_back_off_beyond_the_base_delay_but_never_past_the_cap()
    {
        await using var patient = await CoordinatorHarness.StartAsync(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(150);
            o.MaxAttemptsPerParticipant = 20;
        });
        bank.FailFirst("slow-recovery", failures: 10, status: 500);
        var tx = await patient.Coordinator.BeginAsync(null, Ct);

        await patient.Coordinator.ConfirmAsync(tx.Tid, [Link("slow-recovery", tx.Tid)], Ct);

        var times = bank.CallsFor("slow-recovery", tx.Tid).Select(c => c.At).ToArray();
        var gaps = times.Zip(times.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToArray();
        Assert.Equal(11, times.Length);
        // Jitter makes single gaps random; the exponential growth shows in the largest gap, the cap in all of them.
        Assert.True(gaps.Max() > 40, $"gaps: {string.Join(", ", gaps)}");
        Assert.All(gaps, g => Assert.True(g < 150 + 250, $"gap {g} ms exceeds the 150 ms cap (plus scheduling slack); gaps: {string.Join(", ", gaps)}"));
    }

    [Fact]
    public async Task A_participant_that_is_down_and_comes_back_is_confirmed()
    {
        await using var game = await ParticipantServer.StartAsync();
        var tx = await harness.Coordinator.BeginAsync(null, Ct);
        var link = new ParticipantLink(game.Link("points", tx.Tid), DateTimeOffset.UtcNow.AddMinutes(1));
        await harness.Coordinator.RegisterAsync(tx.Tid, [link, Link("debit", tx.Tid)], Ct);
        await game.StopAsync();

        var confirming = harness.Coordinator.ConfirmAsync(tx.Tid, null, Ct);
        await Eventually.GetAsync(() => harness.Operator.GetDetailsAsync(tx.Tid, Ct), d => d.Attempts.Any(a => a.ResultStatus == ParticipantStatus.Failed));
        await game.RestartAsync();
        await confirming;

        var final = await Eventually.GetAsync(() => harness.Coordinator.GetAsync(tx.Tid, Ct), t => t.Status == TransactionStatus.Confirmed);
        Assert.Equal(TransactionStatus.Confirmed, final.Status);
        Assert.Single(game.CallsFor("points", tx.Tid), c => c.IsConfirm);
        Assert.Contains(final.Participants, p => p.Attempts > 1);
    }

    [Fact]
    public async Task A_participant_that_exhausts_its_budget_is_parked_and_an_operator_retry_finishes_it()
    {
        var healthy = false;
        bank.Behave("broken", _ => healthy ? 200 : 500);
        var tx = await harness.Coordinator.BeginAsync(null, Ct);

        var decided = await harness.Coordinator.ConfirmAsync(tx.Tid, [Link("broken", tx.Tid), Link("fine", tx.Tid)], Ct);

        Assert.Equal(TransactionStatus.Confirming, decided.Status);
        Assert.Equal(TransactionAttention.Parked, decided.Attention);
        Assert.Equal(6, bank.CallsFor("broken", tx.Tid).Count);
        var parked = await harness.Operator.ListAsync(new Storage.TransactionQuery { Attention = TransactionAttention.Parked }, Ct);
        Assert.Contains(parked.Items, t => t.Tid == tx.Tid);

        healthy = true;
        var broken = decided.Participants.Single(p => p.Status == ParticipantStatus.Parked);
        var retried = await harness.Operator.RetryParticipantAsync(tx.Tid, broken.Id, new OperatorContext("alice", "participant fixed"), Ct);

        Assert.Equal(TransactionStatus.Confirmed, retried.Status);
        var details = await harness.Operator.GetDetailsAsync(tx.Tid, Ct);
        var audit = Assert.Single(details.Audit);
        Assert.Equal("alice", audit.Actor);
        Assert.Equal("retry-participant", audit.Action);
        Assert.Equal("participant fixed", audit.Reason);
    }

    [Fact]
    public async Task Confirm_answered_404_or_409_is_heuristic_and_needs_an_operator()
    {
        bank.Behave("gone", _ => 404);
        bank.Behave("refuses", _ => 409);
        var tx = await harness.Coordinator.BeginAsync(null, Ct);

        var result = await harness.Coordinator.ConfirmAsync(tx.Tid, [Link("gone", tx.Tid), Link("refuses", tx.Tid), Link("ok", tx.Tid)], Ct);

        Assert.Equal(TransactionStatus.Confirming, result.Status);
        Assert.Equal(TransactionAttention.Heuristic, result.Attention);
        Assert.Equal(2, result.Participants.Count(p => p.Status == ParticipantStatus.Heuristic));
        Assert.Single(bank.CallsFor("gone", tx.Tid)); // not retried
    }

    [Fact]
    public async Task Cancel_answered_404_means_nothing_was_reserved_and_counts_as_cancelled()
    {
        bank.Behave("never-tried", _ => 404);
        var tx = await harness.Coordinator.BeginAsync(null, Ct);
        await harness.Coordinator.RegisterAsync(tx.Tid, [Link("never-tried", tx.Tid)], Ct);

        var result = await harness.Coordinator.CancelAsync(tx.Tid, Ct);

        Assert.Equal(TransactionStatus.Cancelled, result.Status);
    }

    [Fact]
    public async Task An_expired_link_turns_confirm_into_cancel()
    {
        var tx = await harness.Coordinator.BeginAsync(null, Ct);

        var conflict = await Assert.ThrowsAsync<TransactionConflictException>(() => harness.Coordinator.ConfirmAsync(
            tx.Tid, [Link("fresh", tx.Tid), Link("stale", tx.Tid, TimeSpan.FromSeconds(-5))], Ct));

        Assert.Equal("link-expired", conflict.Transaction.Reason);
        var final = await Eventually.GetAsync(() => harness.Coordinator.GetAsync(tx.Tid, Ct), t => t.Status == TransactionStatus.Cancelled);
        Assert.Equal(TransactionStatus.Cancelled, final.Status);
        Assert.Single(bank.CallsFor("fresh", tx.Tid), c => c.IsCancel);
        Assert.DoesNotContain(bank.Calls, c => c.Tid == tx.Tid && c.IsConfirm);
    }

    [Fact]
    public async Task An_undecided_transaction_times_out_and_is_cancelled()
    {
        var tx = await harness.Coordinator.BeginAsync(TimeSpan.FromMilliseconds(300), Ct);
        await harness.Coordinator.RegisterAsync(tx.Tid, [Link("debit", tx.Tid)], Ct);

        var final = await Eventually.GetAsync(() => harness.Coordinator.GetAsync(tx.Tid, Ct), t => t.Status == TransactionStatus.Cancelled);

        Assert.Equal(TransactionStatus.Cancelled, final.Status);
        Assert.Equal("timeout", final.Reason);
        Assert.Single(bank.CallsFor("debit", tx.Tid), c => c.IsCancel);
        var late = await Assert.ThrowsAsync<TransactionConflictException>(() => harness.Coordinator.ConfirmAsync(tx.Tid, null, Ct));
        Assert.Equal(TransactionStatus.Cancelled, late.Transaction.Status);
    }

    [Fact]
    public async Task An_operator_can_force_cancel_an_undecided_transaction_but_not_a_decided_one()
    {
        var tx = await harness.Coordinator.BeginAsync(null, Ct);
        await harness.Coordinator.RegisterAsync(tx.Tid, [Link("debit", tx.Tid)], Ct);

        var cancelled = await harness.Operator.ForceCancelAsync(tx.Tid, new OperatorContext("bob", "stuck caller"), Ct);
        await Assert.ThrowsAsync<TransactionConflictException>(() => harness.Operator.ForceCancelAsync(tx.Tid, new OperatorContext("bob", "again"), Ct));

        Assert.Equal(TransactionStatus.Cancelled, cancelled.Status);
        Assert.Equal("operator", cancelled.Reason);
        var audit = await harness.Operator.ListAuditAsync(tx.Tid, 10, Ct);
        Assert.Equal(2, audit.Count);
        Assert.Contains(audit, a => a.Outcome.StartsWith("refused", StringComparison.Ordinal));
    }
}
