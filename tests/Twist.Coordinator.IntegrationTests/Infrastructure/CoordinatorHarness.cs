using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Operations;
using Twist.Coordinator.Compat;

namespace Twist.Coordinator.IntegrationTests.Infrastructure;

/// <summary>
/// An embedded coordinator in a real generic host with a real SQLite file, tuned for fast tests (short retry delays,
/// frequent sweeps). Restartable on the same file to test recovery.
/// </summary>
public sealed class CoordinatorHarness : IAsyncDisposable
{
    private readonly Action<TwistCoordinatorOptions>? configure;
    private IHost? host;

    private CoordinatorHarness(string databasePath, Action<TwistCoordinatorOptions>? configure)
    {
        DatabasePath = databasePath;
        this.configure = configure;
    }

    public string DatabasePath { get; }

    public ITwistCoordinator Coordinator => host!.Services.GetRequiredService<ITwistCoordinator>();

    public ITwistOperator Operator => host!.Services.GetRequiredService<ITwistOperator>();

    public ITwistTaskRegistry Tasks => host!.Services.GetRequiredService<ITwistTaskRegistry>();

    public IServiceProvider Services => host!.Services;

    public static async Task<CoordinatorHarness> StartAsync(Action<TwistCoordinatorOptions>? configure = null, string? databasePath = null)
    {
        var harness = new CoordinatorHarness(databasePath ?? Path.Combine(Path.GetTempPath(), $"twist-it-{Guid.NewGuid():N}.db"), configure);
        await harness.StartHostAsync();
        return harness;
    }

    public async Task RestartAsync()
    {
        await StopHostAsync();
        await StartHostAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(DatabasePath + suffix);
        }
    }

    private async Task StartHostAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddTwistCoordinator(o =>
        {
            o.UseSqlite(DatabasePath);
            o.AllowedParticipantHosts.Add("127.0.0.1");
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
            o.TimeoutSweepInterval = TimeSpan.FromMilliseconds(50);
            o.RecoveryInterval = TimeSpan.FromMilliseconds(200);
            o.DecisionWaitTimeout = TimeSpan.FromSeconds(5);
            o.ParticipantCallTimeout = TimeSpan.FromSeconds(2);
            configure?.Invoke(o);
        });
        host = builder.Build();
        await host.StartAsync();
    }

    private async Task StopHostAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            host.Dispose();
            host = null;
        }
    }
}
