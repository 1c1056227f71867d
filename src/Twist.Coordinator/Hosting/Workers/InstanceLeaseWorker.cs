using Microsoft.Extensions.Logging;
using Twist.Coordinator.Engine;

namespace Twist.Coordinator.Hosting.Workers;

/// <summary>
/// The heartbeat of an instance that shares its store with others: renews the instance lease every third of
/// <see cref="TwistCoordinatorOptions.LeaseDuration"/> and releases it at shutdown, after the driver has recorded its
/// deliveries, so the other instances take over what is left at once instead of after the lease runs out. Does
/// nothing with a single-writer store.
/// </summary>
internal sealed class InstanceLeaseWorker(
    StoreAccessor stores,
    InstanceLease lease,
    TimeProvider timeProvider,
    ILogger<InstanceLeaseWorker> logger) : PeriodicWorker(timeProvider, logger)
{
    protected override TimeSpan Interval => lease.RenewalInterval;

    protected override string Name => "lease";

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (lease.IsClustered && stores.IsReady)
        {
            await lease.ReleaseAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        lease.IsClustered ? base.ExecuteAsync(stoppingToken) : Task.CompletedTask;

    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        // The first renewal happens when the store opens; this one keeps it going.
        await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await lease.RenewAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            lease.ReportRenewalFailure(ex);
        }
    }
}
