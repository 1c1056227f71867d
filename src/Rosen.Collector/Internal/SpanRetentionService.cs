using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rosen.Collector.Storage;

namespace Rosen.Collector.Internal;

/// <summary>Deletes spans and log records older than <see cref="RosenCollectorOptions.Retention"/> every <see cref="RosenCollectorOptions.RetentionSweepInterval"/>.</summary>
internal sealed class SpanRetentionService(
    ISpanStore store,
    IOptions<RosenCollectorOptions> options,
    TimeProvider timeProvider,
    CollectorInstruments instruments,
    ILogger<SpanRetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            await SweepAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(options.Value.RetentionSweepInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal async Task SweepAsync(CancellationToken cancellationToken)
    {
        var cutoff = timeProvider.GetUtcNow() - options.Value.Retention;
        try
        {
            var deleted = await store.DeleteOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
            if (deleted > 0)
            {
                instruments.Deleted.Add(deleted);
                Log.RetentionSwept(logger, deleted, cutoff);
            }

            var deletedLogs = await store.DeleteLogsOlderThanAsync(cutoff, cancellationToken).ConfigureAwait(false);
            if (deletedLogs > 0)
            {
                instruments.DeletedLogRecords.Add(deletedLogs);
                Log.LogRetentionSwept(logger, deletedLogs, cutoff);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.RetentionFailed(logger, ex);
        }
    }
}
