using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rosen.Collector.Storage;

namespace Rosen.Manager.Diagnostics;

/// <summary>Ready when the span store answers a query.</summary>
internal sealed class SpanStoreReadinessCheck(ISpanStore store, TimeProvider timeProvider) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await store.ListServicesAsync(timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The span store does not answer.", ex);
        }
    }
}
