using Gravity.Sync.Diagnostics;
using Gravity.Sync.Outbox;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Hosting.Workers;

/// <summary>Relays one application database's outbox into the event log until the host stops; failures are logged and retried.</summary>
internal sealed class OutboxRelayWorker(SqliteOutboxRelay relay, TimeSpan interval, TimeProvider timeProvider, ILogger<OutboxRelayWorker> logger) : BackgroundService
{
    private const int BatchSize = 500;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var relayed = 0;
            try
            {
                relayed = await relay.RelayOnceAsync(BatchSize, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.RelayFailed(ex, relay.ConnectionString);
            }

            if (relayed < BatchSize)
            {
                try
                {
                    await Task.Delay(interval, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
