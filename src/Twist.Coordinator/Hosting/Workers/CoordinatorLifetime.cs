using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Engine;

namespace Twist.Coordinator.Hosting.Workers;

/// <summary>
/// Opens the store before the other workers run and, at shutdown, stops retry waits and lets in-flight deliveries
/// record their outcomes, so a graceful stop loses nothing.
/// </summary>
internal sealed class CoordinatorLifetime(
    StoreAccessor stores,
    TransactionDriver driver,
    IOptions<TwistCoordinatorOptions> options,
    ILogger<CoordinatorLifetime> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Legal (a coordinator may only serve callers at first) but almost always a forgotten setting: say so once, loudly.
        if (options.Value.AllowedParticipantHosts.Count == 0)
        {
            logger.NoParticipantHostsAllowed();
        }

        await stores.GetAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => driver.StopAsync(cancellationToken);
}
