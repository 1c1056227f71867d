using Gravity.Sync.Engine;
using Microsoft.Extensions.Hosting;

namespace Gravity.Sync.Hosting.Workers;

/// <summary>
/// Runs the synchronizer inside the generic host. Start-up does the fallible work (rules, tables) before the host
/// reports started, so a bad rule or a table mismatch stops the app at once with a clear message.
/// </summary>
internal sealed class SynchronizerService(GravitySynchronizer synchronizer) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => synchronizer.StartAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => synchronizer.StopAsync(cancellationToken);
}
