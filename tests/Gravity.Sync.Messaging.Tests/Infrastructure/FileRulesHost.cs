using Gravity.Sync.Hosting;
using Gravity.Sync.Operations;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Messaging.Tests.Infrastructure;

/// <summary>
/// A synchronizer configured the way an application is: rules.json and databases.json files (no exporter.json; the
/// exporters are declared in code), fast intervals, in a temporary folder.
/// </summary>
public sealed class FileRulesHost : IAsyncDisposable
{
    private FileRulesHost(string directory, IHost host)
    {
        Directory = directory;
        Host = host;
    }

    public string Directory { get; }

    public IHost Host { get; }

    public IGravitySyncOperator Operator => Host.Services.GetRequiredService<IGravitySyncOperator>();

    public static async Task<FileRulesHost> StartAsync(string rulesJson, Action<IGravitySyncBuilder> build, Action<IServiceCollection>? services = null)
    {
        var directory = TempDirectory.Create();
        await File.WriteAllTextAsync(Path.Combine(directory, "rules.json"), rulesJson);
        await File.WriteAllTextAsync(Path.Combine(directory, "databases.json"), """{"databases":{"views":{"type":"sqlite","dbName":"views.db"}}}""");
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var gravity = builder.Services.AddGravitySync(o =>
        {
            o.RulesFiles.Add(Path.Combine(directory, "rules.json"));
            o.DatabasesFile = Path.Combine(directory, "databases.json");
            o.DataDirectory = directory;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.CheckpointInterval = TimeSpan.FromMilliseconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
        });
        build(gravity);
        services?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            TempDirectory.Delete(directory);
            throw;
        }

        return new FileRulesHost(directory, host);
    }

    public async Task WaitForCatchUpAsync()
    {
        IReadOnlyList<TargetStatus> status = [];
        var caughtUp = await Eventually.TrueAsync(async () =>
        {
            status = await Operator.GetStatusAsync();
            return status.Count > 0 && status.All(s => s.Running && s.CaughtUp);
        });
        Assert.True(caughtUp, "The synchronizer did not catch up: " + string.Join("; ", status));
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
        TempDirectory.Delete(Directory);
    }
}
