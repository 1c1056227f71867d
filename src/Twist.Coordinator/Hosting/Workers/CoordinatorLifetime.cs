using Microsoft.Extensions.Hosting;
using Twist.Coordinator.Engine;

namespace Twist.Coordinator.Hosting.Workers;

/// <summary>
/// Opens the store before the other workers run and, at shutdown, stops retry waits and lets in-flight deliveries
/// record their outcomes, so a graceful stop loses nothing.
/// </summary>
internal sealed class CoordinatorLifetime(StoreAccessor stores, TransactionDriver driver) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken) =>
        await stores.GetAsync(cancellationToken).ConfigureAwait(false);

    public Task StopAsync(CancellationToken cancellationToken) => driver.StopAsync(cancellationToken);
}
