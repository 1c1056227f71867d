using Twist.Coordinator.IntegrationTests.Infrastructure;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Coordinator.IntegrationTests;

public sealed class ConfirmAndCancelTests : IAsyncLifetime
{
    private ParticipantServer bank = null!;
    private CoordinatorHarness harness = null!;

    public async ValueTask InitializeAsync()
    {
        bank = await ParticipantServer.StartAsync();
        harness = await CoordinatorHarness.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await harness.DisposeAsync();
        await bank.DisposeAsync();
    }

    private ParticipantLink Link(string name, string tid) => new(bank.Link(name, tid), DateTimeOffset.UtcNow.AddMinutes(1));

    [Fact]
    public async Task Confirm_delivers_PUT_to_every_participant_and_finishes_Confirmed()
    {
        var coordinator = harness.Coordinator;
        var tx = await coordinator.BeginAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        Assert.Equal(TransactionStatus.Active, tx.Status);

        var result = await coordinator.ConfirmAsync(tx.Tid, [Link("debit", tx.Tid), Link("credit", tx.Tid)], TestContext.Current.CancellationToken);

        Assert.Equal(TransactionStatus.Confirmed, result.Status);
        Assert.All(result.Participants, p => Assert.Equal(ParticipantStatus.Confirmed, p.Status));
        Assert.Single(bank.CallsFor("debit", tx.Tid), c => c.IsConfirm);
        Assert.Single(bank.CallsFor("credit", tx.Tid), c => c.IsConfirm);
        var call = bank.CallsFor("debit", tx.Tid)[0];
        Assert.Equal(tx.Tid, call.Headers["Twist-Transaction-ID"]);
        Assert.Equal("confirm", call.Headers["Twist-Phase"]);
        Assert.Equal("confirm", call.Headers["Twist-Phrase"]);
        var stored = await coordinator.GetAsync(tx.Tid, TestContext.Current.CancellationToken);
        Assert.Equal(TransactionStatus.Confirmed, stored.Status);
        Assert.NotNull(stored.CompletedAt);
    }

    [Fact]
    public async Task Participants_registered_before_confirm_are_confirmed_without_links_in_the_confirm_call()
    {
        var coordinator = harness.Coordinator;
        var tx = await coordinator.BeginAsync(null, TestContext.Current.CancellationToken);
        await coordinator.RegisterAsync(tx.Tid, [Link("a", tx.Tid)], TestContext.Current.CancellationToken);
        var again = await coordinator.RegisterAsync(tx.Tid, [Link("a", tx.Tid), Link("b", tx.Tid)], TestContext.Current.CancellationToken);
        Assert.Equal(2, again.Participants.Count); // re-registering a link is a no-op

        var result = await coordinator.ConfirmAsync(tx.Tid, null, TestContext.Current.CancellationToken);

        Assert.Equal(TransactionStatus.Confirmed, result.Status);
        Assert.Single(bank.CallsFor("a", tx.Tid));
        Assert.Single(bank.CallsFor("b", tx.Tid));
    }

    [Fact]
    public async Task Cancel_delivers_DELETE_and_finishes_Cancelled()
    {
        var coordinator = harness.Coordinator;
        var tx = await coordinator.BeginAsync(null, TestContext.Current.CancellationToken);
        await coordinator.RegisterAsync(tx.Tid, [Link("debit", tx.Tid), Link("credit", tx.Tid)], TestContext.Current.CancellationToken);

        var result = await coordinator.CancelAsync(tx.Tid, TestContext.Current.CancellationToken);

        Assert.Equal(TransactionStatus.Cancelled, result.Status);
        Assert.Single(bank.CallsFor("debit", tx.Tid), c => c.IsCancel);
        Assert.Single(bank.CallsFor("credit", tx.Tid), c => c.IsCancel);
        Assert.DoesNotContain(bank.Calls, c => c.Tid == tx.Tid && c.IsConfirm);
    }

    [Fact]
    public async Task Duplicate_confirm_calls_return_the_same_outcome_and_deliver_once()
    {
        var coordinator = harness.Coordinator;
        var tx = await coordinator.BeginAsync(null, TestContext.Current.CancellationToken);
        var links = new[] { Link("debit", tx.Tid) };

        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => coordinator.ConfirmAsync(tx.Tid, links, TestContext.Current.CancellationToken)));
        var later = await coordinator.ConfirmAsync(tx.Tid, links, TestContext.Current.CancellationToken);

        Assert.All(concurrent, r => Assert.True(r.Status.IsConfirmDecision()));
        Assert.Equal(TransactionStatus.Confirmed, later.Status);
        Assert.Single(bank.CallsFor("debit", tx.Tid));
    }

    [Fact]
    public async Task Confirm_after_cancel_is_a_conflict_that_reports_the_outcome()
    {
        var coordinator = harness.Coordinator;
        var tx = await coordinator.BeginAsync(null, TestContext.Current.CancellationToken);
        await coordinator.CancelAsync(tx.Tid, TestContext.Current.CancellationToken);

        var conflict = await Assert.ThrowsAsync<TransactionConflictException>(() => coordinator.ConfirmAsync(tx.Tid, null, TestContext.Current.CancellationToken));

        Assert.Equal(TransactionStatus.Cancelled, conflict.Transaction.Status);
        Assert.Equal(TwistErrorCodes.TransactionConflict, conflict.Code);
    }

    [Fact]
    public async Task Cancel_after_confirm_is_a_conflict_and_sends_no_cancel()
    {
        var coordinator = harness.Coordinator;
        var tx = await coordinator.BeginAsync(null, TestContext.Current.CancellationToken);
        await coordinator.ConfirmAsync(tx.Tid, [Link("debit", tx.Tid)], TestContext.Current.CancellationToken);

        var conflict = await Assert.ThrowsAsync<TransactionConflictException>(() => coordinator.CancelAsync(tx.Tid, TestContext.Current.CancellationToken));

        Assert.Equal(TransactionStatus.Confirmed, conflict.Transaction.Status);
        Assert.DoesNotContain(bank.Calls, c => c.Tid == tx.Tid && c.IsCancel);
    }

    [Fact]
    public async Task Registering_after_the_decision_is_a_conflict()
    {
        var coordinator = harness.Coordinator;
        var tx = await coordinator.BeginAsync(null, TestContext.Current.CancellationToken);
        await coordinator.ConfirmAsync(tx.Tid, [Link("debit", tx.Tid)], TestContext.Current.CancellationToken);

        await Assert.ThrowsAsync<TransactionConflictException>(() => coordinator.RegisterAsync(tx.Tid, [Link("late", tx.Tid)], TestContext.Current.CancellationToken));
        Assert.Empty(bank.CallsFor("late", tx.Tid));
    }

    [Fact]
    public async Task Unknown_and_malformed_ids_give_typed_errors()
    {
        var coordinator = harness.Coordinator;
        await Assert.ThrowsAsync<TransactionNotFoundException>(() => coordinator.GetAsync("0123456789abcdef", TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<TransactionNotFoundException>(() => coordinator.ConfirmAsync("0123456789abcdef", null, TestContext.Current.CancellationToken));
        var invalid = await Assert.ThrowsAsync<TwistValidationException>(() => coordinator.GetAsync("../etc/passwd", TestContext.Current.CancellationToken));
        Assert.Contains("tid", invalid.Errors.Keys);
        await Assert.ThrowsAsync<TwistValidationException>(() => coordinator.BeginAsync(TimeSpan.FromDays(30), TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<TwistValidationException>(() => coordinator.BeginAsync(TimeSpan.Zero, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Links_to_hosts_outside_the_allow_list_are_refused_and_nothing_is_registered()
    {
        var coordinator = harness.Coordinator;
        var tx = await coordinator.BeginAsync(null, TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<TwistValidationException>(() => coordinator.RegisterAsync(
            tx.Tid,
            [Link("ok", tx.Tid), new ParticipantLink(new Uri("http://169.254.169.254/latest/meta-data"), DateTimeOffset.UtcNow.AddMinutes(1))],
            TestContext.Current.CancellationToken));

        Assert.Equal(TwistErrorCodes.InvalidParticipantLink, refused.Code);
        Assert.Contains("participantLinks[1].uri", refused.Errors.Keys);
        Assert.Empty((await coordinator.GetAsync(tx.Tid, TestContext.Current.CancellationToken)).Participants);
    }
}
