using Microsoft.Extensions.Diagnostics.HealthChecks;
using Twist.Coordinator.Hosting;

namespace Twist.Coordinator.Host;

/// <summary>
/// Ready when the host has started, is not stopping (so load balancers drain it during a graceful shutdown) and the
/// coordinator's store is open.
/// </summary>
internal sealed class CoordinatorReadinessCheck(ICoordinatorReadiness readiness, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The coordinator is shutting down."));
        }

        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy("The coordinator has not finished starting."));
        }

        return Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy($"The store is open; {readiness.DrivingCount} transaction(s) being delivered.")
            : HealthCheckResult.Unhealthy("The coordinator's store is not open, or this instance lost its cluster lease."));
    }
}
