using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Engine;
using Twist.Coordinator.Events;
using Twist.Transactions;

namespace Twist.Coordinator.Hosting.Workers;

/// <summary>
/// Presumed abort: cancels every Active transaction past its deadline. The store's conditional decision makes a
/// timeout that races a confirm come out one way only.
/// </summary>
internal sealed class TimeoutSweeper(
    StoreAccessor stores,
    TransactionDriver driver,
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
                    instruments.Decided.Add(1, new KeyValuePair<string, object?>("twist.decision", "cancel"), new KeyValuePair<string, object?>("twist.reason", DecisionRules.Timeout));
                    logger.TransactionTimedOut(transaction.Tid, transaction.ExpiresAt);
                    events.Decided(transaction);
                    _ = driver.DriveAsync(transaction);
                }
            }
        }
        while (expired.Count == BatchSize && !cancellationToken.IsCancellationRequested);
    }
}
