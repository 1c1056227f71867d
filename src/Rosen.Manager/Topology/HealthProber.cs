using System.Diagnostics;
using Microsoft.Extensions.Options;
using Rosen.Manager.Configuration;
using Rosen.Manager.Diagnostics;

namespace Rosen.Manager.Topology;

/// <summary>Probes every known instance's health endpoint on an interval (2xx = healthy), a few at a time.</summary>
internal sealed class HealthProber(
    InstanceRegistry registry,
    IHttpClientFactory httpClientFactory,
    IOptions<RosenManagerOptions> options,
    TimeProvider timeProvider,
    ManagerTelemetry telemetry) : BackgroundService
{
    public const string HttpClientName = "rosen-health-probe";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            await ProbeAllAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await Task.Delay(options.Value.HealthProbeInterval, timeProvider, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    internal Task ProbeAllAsync(CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(
            registry.List().Where(i => i.HealthUri is not null),
            new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (instance, token) => await ProbeAsync(instance, token).ConfigureAwait(false));

    private async Task ProbeAsync(InstanceState instance, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.HealthProbeTimeout);
        var started = Stopwatch.GetTimestamp();
        InstanceHealth health;
        string detail;
        try
        {
            using var client = httpClientFactory.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Get, instance.HealthUri);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            health = response.IsSuccessStatusCode ? InstanceHealth.Healthy : InstanceHealth.Unhealthy;
            detail = $"HTTP {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            health = InstanceHealth.Unhealthy;
            detail = $"no answer within {options.Value.HealthProbeTimeout.TotalSeconds:0.#} s";
        }
        catch (HttpRequestException ex)
        {
            health = InstanceHealth.Unhealthy;
            detail = ex.HttpRequestError == HttpRequestError.ConnectionError ? "connection refused" : ex.Message;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        telemetry.Probes.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("rosen.health", health.ToString()));
        registry.RecordProbe(instance.Id, health, elapsed, detail);
    }
}
