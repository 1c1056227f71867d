using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twist.Coordinator.Diagnostics;

namespace Twist.Coordinator.Hosting.Workers;

/// <summary>A background loop that runs one pass now and then every interval; a failed pass is logged and retried next time.</summary>
internal abstract class PeriodicWorker(TimeProvider timeProvider, ILogger logger) : BackgroundService
{
    protected TimeProvider Clock { get; } = timeProvider;

    protected abstract TimeSpan Interval { get; }

    protected abstract string Name { get; }

    protected abstract Task RunOnceAsync(CancellationToken cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var timer = new PeriodicTimer(Interval, Clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.WorkerFailed(ex, Name);
            }
        }
        while (await WaitAsync(timer, stoppingToken).ConfigureAwait(false));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
