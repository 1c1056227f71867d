using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Engine;

namespace Twist.Coordinator.Hosting.Workers;

/// <summary>Purges finished transactions older than <see cref="TwistCoordinatorOptions.RetainFinishedFor"/>, in batches so the writer is never held long.</summary>
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
        int purged, total = 0;
        do
        {
            purged = await store.PurgeFinishedAsync(cutoff, BatchSize, cancellationToken).ConfigureAwait(false);
            total += purged;
        }
        while (purged == BatchSize && !cancellationToken.IsCancellationRequested);

        if (total > 0)
        {
            logger.Purged(total, cutoff);
        }
    }
}
