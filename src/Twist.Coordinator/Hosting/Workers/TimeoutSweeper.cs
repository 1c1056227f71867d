using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Engine;
using Twist.Coordinator.Events;
using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Hosting.Workers;

/// <summary>
/// Presumed abort: cancels every Active transaction past its deadline. The store's conditional decision makes a
/// timeout that races a confirm come out one way only.
/// </summary>
/// <remarks>
/// In a cluster each instance decides disjoint batches in one statement per batch
/// (<see cref="ITransactionLeaseStore.DecideExpiredAsync"/>), so sweeps running at once on every instance share the
/// work instead of repeating it, and each instance drives the timeouts it decided.
/// </remarks>
internal sealed class TimeoutSweeper(
    StoreAccessor stores,
    TransactionDriver driver,
    InstanceLease lease,
    IOptions<TwistCoordinatorOptions> options,
    TimeProvider timeProvider,
    CoordinatorInstruments instruments,
    TransactionEventPublisher events,
    ILogger<TimeoutSweeper> logger) : PeriodicWorker(timeProvider, logger)
{
    private const int BatchSize = 500;

    protected override TimeSpan Interval => options.Value.TimeoutSweepInterval;

    protected override string Name => "timeout";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        if (lease.Store is { } leases)
        {
            await SweepClusterAsync(leases, cancellationToken).ConfigureAwait(false);
            return;
        }

        IReadOnlyList<string> expired;
        do
        {
            var now = Clock.GetUtcNow();
            expired = await store.ListExpiredActiveAsync(now, BatchSize, cancellationToken).ConfigureAwait(false);
            var decisions = expired.Select(tid => store.DecideAsync(
                tid, [], options.Value.MaxParticipantsPerTransaction, _ => DecisionRules.ForCancel(DecisionRules.Timeout), now, cancellationToken));
            foreach (var result in await Task.WhenAll(decisions).ConfigureAwait(false))
            {
                if (result is { Applied: true, Transaction: var transaction } && transaction.Status == TransactionStatus.Cancelling)
                {
                    TimedOut(transaction);
                }
            }
        }
        while (expired.Count == BatchSize && !cancellationToken.IsCancellationRequested);
    }

    private async Task SweepClusterAsync(ITransactionLeaseStore leases, CancellationToken cancellationToken)
    {
        IReadOnlyList<StoredTransaction> decided;
        do
        {
            if (!lease.IsHeld)
            {
                return; // it could not drive what it decided; the other instances sweep
            }

            decided = await leases.DecideExpiredAsync(Clock.GetUtcNow(), BatchSize, DecisionRules.ForCancel(DecisionRules.Timeout), cancellationToken).ConfigureAwait(false);
            foreach (var transaction in decided)
            {
                TimedOut(transaction);
            }
        }
        while (decided.Count == BatchSize && !cancellationToken.IsCancellationRequested);
    }

    private void TimedOut(StoredTransaction transaction)
    {
        instruments.Decided.Add(1, new KeyValuePair<string, object?>("twist.decision", "cancel"), new KeyValuePair<string, object?>("twist.reason", DecisionRules.Timeout));
        logger.TransactionTimedOut(transaction.Tid, transaction.ExpiresAt);
        events.Decided(transaction);
        _ = driver.DriveAsync(transaction);
    }
}
