using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Engine;

namespace Twist.Coordinator.Hosting.Workers;

/// <summary>
/// Purges finished transactions older than <see cref="TwistCoordinatorOptions.RetainFinishedFor"/>, unbound v1 tasks
/// expired that long ago, and audit entries older than <see cref="TwistCoordinatorOptions.RetainAuditFor"/>, in
/// batches so the writer is never held long.
/// </summary>
internal sealed class RetentionWorker(
    StoreAccessor stores,
    IOptions<TwistCoordinatorOptions> options,
    TimeProvider timeProvider,
    ILogger<RetentionWorker> logger) : PeriodicWorker(timeProvider, logger)
{
    private const int BatchSize = 1000;

    protected override TimeSpan Interval => options.Value.PurgeInterval;

    protected override string Name => "retention";

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = Clock.GetUtcNow() - options.Value.RetainFinishedFor;
        var total = await PurgeAllAsync(store.PurgeFinishedAsync, cutoff, cancellationToken).ConfigureAwait(false);

        if (total > 0)
        {
            logger.Purged(total, cutoff);
        }

        var auditCutoff = Clock.GetUtcNow() - options.Value.RetainAuditFor;
        var audit = await PurgeAllAsync(store.PurgeAuditAsync, auditCutoff, cancellationToken).ConfigureAwait(false);
        var tasks = await PurgeAllAsync(store.PurgeUnboundTasksAsync, cutoff, cancellationToken).ConfigureAwait(false);
        if (audit + tasks > 0)
        {
            logger.HistoryPurged(audit, auditCutoff, tasks, cutoff);
        }
    }

    private static async Task<int> PurgeAllAsync(
        Func<DateTimeOffset, int, CancellationToken, Task<int>> purge, DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        int purged, total = 0;
        do
        {
            purged = await purge(cutoff, BatchSize, cancellationToken).ConfigureAwait(false);
            total += purged;
        }
        while (purged == BatchSize && !cancellationToken.IsCancellationRequested);

        return total;
    }
}
