using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Engine;
using Twist.Transactions;

namespace Twist.Coordinator.Hosting.Workers;

/// <summary>
/// Resumes decided transactions that nobody in this instance is driving: after a restart or crash, or after a drive
/// stopped early. Parked and heuristic participants wait for an operator and are not retried here.
/// </summary>
internal sealed class RecoveryWorker(
    StoreAccessor stores,
    TransactionDriver driver,
    IOptions<TwistCoordinatorOptions> options,
    TimeProvider timeProvider,
    ILogger<RecoveryWorker> logger) : PeriodicWorker(timeProvider, logger)
{
    private const int PageSize = 500;

    protected override TimeSpan Interval => options.Value.RecoveryInterval;

    protected override string Name => "recovery";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        string? after = null;
        var resumed = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var page = await store.ListInFlightAsync(after, PageSize, cancellationToken).ConfigureAwait(false);
            foreach (var transaction in page)
            {
                var deliverable = transaction.Participants.Any(p => p.Status is ParticipantStatus.Registered or ParticipantStatus.Failed);
                var waitsForOperator = transaction.Participants.Any(p => p.Status is ParticipantStatus.Parked or ParticipantStatus.Heuristic);
                if ((deliverable || !waitsForOperator) && !driver.IsDriving(transaction.Tid))
                {
                    _ = driver.DriveAsync(transaction, refresh: true);
                    resumed++;
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Tid;
        }

        if (resumed > 0)
        {
            logger.RecoveryResumed(resumed);
        }
    }
}
