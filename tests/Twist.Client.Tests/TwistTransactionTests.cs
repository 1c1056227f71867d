using System.Diagnostics;
using Microsoft.Extensions.Logging.Testing;
using Twist.Client.Diagnostics;
using Twist.Client.Internal;
using Twist.Client.Tests.Fakes;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Client.Tests;

public sealed class TwistTransactionTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;
    private static readonly ParticipantLink Bank = new(new Uri("http://bank.test/debits/1"), DateTimeOffset.UnixEpoch.AddYears(60));
    private static readonly ParticipantLink Game = new(new Uri("http://game.test/points/1"), DateTimeOffset.UnixEpoch.AddYears(60));

    [Fact]
    public async Task Confirm_sends_the_collected_links_and_dispose_then_does_nothing()
    {
        var coordinator = new FakeCoordinator();
        var client = TestClients.Create(coordinator);

        await using (var tx = await client.BeginAsync(cancellationToken: Ct))
        {
            tx.AddParticipant(Bank);
            tx.AddParticipant(Game);
            tx.AddParticipant(Bank with { Expires = Bank.Expires.AddDays(1) }); // same URI: replaced, not duplicated
            var info = await tx.ConfirmAsync(Ct);
            Assert.Equal(TransactionStatus.Confirmed, info.Status);
            Assert.True(tx.IsDecided);
        }

        Assert.Equal(["begin tx-1", "confirm tx-1 2"], coordinator.Calls);
        Assert.Equal([Bank.Uri, Game.Uri], coordinator.ConfirmedLinks.Select(l => l.Uri));
    }

    [Fact]
    public async Task Dispose_without_a_decision_registers_the_links_then_cancels()
    {
        var coordinator = new FakeCoordinator();
        var logger = new FakeLogger<TwistClient>();
        var client = TestClients.Create(coordinator, logger);

        await using (var tx = await client.BeginAsync(cancellationToken: Ct))
        {
            tx.AddParticipant(Bank);
        }

        Assert.Equal(["begin tx-1", "register tx-1 1", "cancel tx-1"], coordinator.Calls);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 3006);
    }

    [Fact]
    public async Task Dispose_is_idempotent_and_never_throws_when_the_cancel_fails()
    {
        var coordinator = new FakeCoordinator { FailCancel = _ => new CoordinatorUnavailableException("down") };
        var logger = new FakeLogger<TwistClient>();
        var client = TestClients.Create(coordinator, logger);
        var tx = await client.BeginAsync(cancellationToken: Ct);

        await tx.DisposeAsync();
        await tx.DisposeAsync();

        Assert.Single(coordinator.Calls, c => c.StartsWith("cancel", StringComparison.Ordinal));
        var failure = Assert.Single(logger.Collector.GetSnapshot(), r => r.Id.Id == 3007);
        Assert.IsType<CoordinatorUnavailableException>(failure.Exception);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => tx.ConfirmAsync(Ct));
    }

    [Fact]
    public async Task A_refused_confirm_throws_the_outcome_and_dispose_does_not_cancel_again()
    {
        var coordinator = new FakeCoordinator
        {
            FailConfirm = tid => new TransactionConflictException(FakeCoordinator.Info(tid, TransactionStatus.Cancelled) with { Reason = "timeout" }, "timed out"),
        };
        var client = TestClients.Create(coordinator);

        await using (var tx = await client.BeginAsync(cancellationToken: Ct))
        {
            var ex = await Assert.ThrowsAsync<TransactionConflictException>(() => tx.ConfirmAsync(Ct));
            Assert.Equal(TransactionStatus.Cancelled, ex.Transaction.Status);
            Assert.True(tx.IsDecided);
        }

        Assert.DoesNotContain(coordinator.Calls, c => c.StartsWith("cancel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_confirm_that_failed_in_transit_is_cancelled_on_dispose()
    {
        var coordinator = new FakeCoordinator { FailConfirm = _ => new CoordinatorUnavailableException("connection refused") };
        var client = TestClients.Create(coordinator);

        await using (var tx = await client.BeginAsync(cancellationToken: Ct))
        {
            tx.AddParticipant(Game);
            await Assert.ThrowsAsync<CoordinatorUnavailableException>(() => tx.ConfirmAsync(Ct));
        }

        Assert.Equal("cancel tx-1", coordinator.Calls[^1]);
    }

    [Fact]
    public async Task Explicit_cancel_is_not_repeated_on_dispose()
    {
        var coordinator = new FakeCoordinator();
        var client = TestClients.Create(coordinator);

        await using (var tx = await client.BeginAsync(cancellationToken: Ct))
        {
            Assert.Equal(TransactionStatus.Cancelled, (await tx.CancelAsync(Ct)).Status);
        }

        Assert.Equal(["begin tx-1", "cancel tx-1"], coordinator.Calls);
    }

    [Fact]
    public async Task Current_is_the_innermost_undisposed_transaction_of_this_flow()
    {
        var client = TestClients.Create(new FakeCoordinator());
        Assert.Null(TwistTransaction.Current);

        var outer = await client.BeginAsync(cancellationToken: Ct);
        Assert.Same(outer, TwistTransaction.Current);
        await Task.Run(() => Assert.Same(outer, TwistTransaction.Current), Ct); // flows into child tasks

        var inner = await client.BeginAsync(cancellationToken: Ct);
        Assert.Same(inner, TwistTransaction.Current);

        await inner.DisposeAsync();
        Assert.Same(outer, TwistTransaction.Current);
        await outer.DisposeAsync();
        Assert.Null(TwistTransaction.Current);
    }

    [Fact]
    public async Task Begin_uses_the_default_timeout_and_rejects_non_positive_ones()
    {
        var coordinator = new FakeCoordinator();
        var client = TestClients.Create(coordinator);

        await using (await client.BeginAsync(cancellationToken: Ct))
        {
            Assert.Equal(new TwistClientOptions().DefaultTimeout, coordinator.LastTimeout);
        }

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.BeginAsync(TimeSpan.Zero, Ct));
    }

    [Fact]
    public async Task Emits_begin_and_confirm_spans_tagged_with_the_transaction_id()
    {
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TwistClientTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (spans)
                {
                    spans.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        // Listeners are process-wide and other tests emit spans in parallel: make this test's ids unique.
        var client = TestClients.Create(new FakeCoordinator { TidPrefix = $"span-{Guid.NewGuid():N}-" });

        string tid;
        await using (var tx = await client.BeginAsync(cancellationToken: Ct))
        {
            tid = tx.Tid;
            await tx.ConfirmAsync(Ct);
        }

        lock (spans)
        {
            var mine = spans.Where(s => (string?)s.GetTagItem(TwistClientTelemetry.TransactionIdAttribute) == tid).Select(s => s.OperationName).ToList();
            Assert.Equal(["twist.begin", "twist.confirm"], mine);
        }
    }
}
