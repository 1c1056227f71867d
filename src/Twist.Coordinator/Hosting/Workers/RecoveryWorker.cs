using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Engine;
using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Hosting.Workers;

/// <summary>
/// Resumes decided transactions that nobody in this instance is driving: after a restart or crash, or after a drive
/// stopped early. Parked and heuristic participants wait for an operator and are not retried here.
/// </summary>
/// <remarks>
/// In a cluster (a store shared by several instances) each pass resumes this instance's own transactions, then claims
/// those of instances whose lease lapsed, one batch at a time and only while this instance drives fewer than
/// <see cref="TwistCoordinatorOptions.MaxRecoveringTransactions"/>. Claims skip rows other claims hold, so the work of
/// a dead instance is spread over the survivors that have room, and a busy instance leaves it to the others. After a
/// full batch the pass claims again at once.
/// </remarks>
internal sealed class RecoveryWorker(
    StoreAccessor stores,
    TransactionDriver driver,
    InstanceLease lease,
    IOptions<TwistCoordinatorOptions> options,
    TimeProvider timeProvider,
    CoordinatorInstruments instruments,
    ILogger<RecoveryWorker> logger) : PeriodicWorker(timeProvider, logger)
{
    private const int PageSize = 500;

    protected override TimeSpan Interval => options.Value.RecoveryInterval;

    protected override string Name => "recovery";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        if (lease.Store is { } leases)
        {
            await RecoverClusterAsync(leases, cancellationToken).ConfigureAwait(false);
            return;
        }

        var resumed = await ResumeAsync((after, ct) => store.ListInFlightAsync(after, PageSize, ct), int.MaxValue, cancellationToken).ConfigureAwait(false);
        if (resumed > 0)
        {
            logger.RecoveryResumed(resumed);
        }
    }

    private async Task RecoverClusterAsync(ITransactionLeaseStore leases, CancellationToken cancellationToken)
    {
        // Past its lease this instance could claim work it may not do; it renews first.
        if (!lease.IsHeld)
        {
            return;
        }

        var batch = options.Value.RecoveryBatchSize;
        var resumed = await ResumeAsync((after, ct) => leases.ListOwnedInFlightAsync(after, PageSize, ct), batch, cancellationToken).ConfigureAwait(false);
        if (resumed > 0)
        {
            logger.RecoveryResumed(resumed);
        }

        while (!cancellationToken.IsCancellationRequested && lease.IsHeld)
        {
            var room = Math.Min(batch, options.Value.MaxRecoveringTransactions - driver.DrivingCount);
            if (room <= 0)
            {
                return;
            }

            var claimed = await leases.ClaimOrphanedAsync(room, cancellationToken).ConfigureAwait(false);
            foreach (var transaction in claimed)
            {
                _ = driver.DriveAsync(transaction, recovered: true);
            }

            if (claimed.Count > 0)
            {
                instruments.Takeovers.Add(claimed.Count);
                logger.TransactionsTakenOver(claimed.Count);
            }

            if (claimed.Count < room)
            {
                return;
            }

            // A full batch: there may be more. Let the claimed drives start before claiming again.
            await Task.Yield();
        }
    }

    /// <summary>Starts a drive for each listed transaction that has something to deliver and is not being driven; returns how many.</summary>
    private async Task<int> ResumeAsync(
        Func<string?, CancellationToken, Task<IReadOnlyList<StoredTransaction>>> list, int limit, CancellationToken cancellationToken)
    {
        string? after = null;
        var resumed = 0;
        while (!cancellationToken.IsCancellationRequested && resumed < limit)
        {
            var page = await list(after, cancellationToken).ConfigureAwait(false);
            foreach (var transaction in page)
            {
                var deliverable = transaction.Participants.Any(p => p.Status is ParticipantStatus.Registered or ParticipantStatus.Failed);
                var waitsForOperator = transaction.Participants.Any(p => p.Status is ParticipantStatus.Parked or ParticipantStatus.Heuristic);
                if ((deliverable || !waitsForOperator) && !driver.IsDriving(transaction.Tid))
                {
                    _ = driver.DriveAsync(transaction, refresh: true, recovered: true);
                    resumed++;
                }
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].Tid;
        }

        return resumed;
    }
}
