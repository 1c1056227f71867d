using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Hosting;

namespace Twist.Coordinator.Nats.Tests.Infrastructure;

/// <summary>
/// The embedded coordinator in a real generic host on a temporary SQLite file, tuned for fast tests, with its logs
/// collected and the event output's counters observed.
/// </summary>
public sealed class CoordinatorHost : IAsyncDisposable
{
    private readonly IHost host;
    private readonly string databasePath;

    private CoordinatorHost(IHost host, string databasePath)
    {
        this.host = host;
        this.databasePath = databasePath;
        var meters = host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
        Dropped = new MetricCollector<long>(meters, TwistCoordinatorTelemetry.Name, "twist.coordinator.events.dropped");
        Published = new MetricCollector<long>(meters, TwistCoordinatorTelemetry.Name, "twist.coordinator.events.published");
    }

    public ITwistCoordinator Coordinator => host.Services.GetRequiredService<ITwistCoordinator>();

    public IServiceProvider Services => host.Services;

    public FakeLogCollector Logs => host.Services.GetFakeLogCollector();

    public MetricCollector<long> Dropped { get; }

    public MetricCollector<long> Published { get; }

    public static async Task<CoordinatorHost> StartAsync(Action<ITwistCoordinatorBuilder> events, Action<TwistCoordinatorOptions>? configure = null)
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"twist-nats-{Guid.NewGuid():N}.db");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFakeLogging();
        var coordinator = builder.Services.AddTwistCoordinator(o =>
        {
            o.UseSqlite(databasePath);
            o.AllowedParticipantHosts.Add("127.0.0.1");
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
            o.TimeoutSweepInterval = TimeSpan.FromMilliseconds(50);
            o.DecisionWaitTimeout = TimeSpan.FromSeconds(5);
            configure?.Invoke(o);
        });
        events(coordinator);
        var host = builder.Build();
        var started = new CoordinatorHost(host, databasePath);
        await host.StartAsync();
        return started;
    }

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
        Dropped.Dispose();
        Published.Dispose();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(databasePath + suffix);
        }
    }
}
