using System.Text;
using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Hosting;
using Gravity.Sync.Operations;
using Gravity.Sync.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Tests.Infrastructure;

/// <summary>
/// A generic host running the synchronizer in a temporary folder, with fast intervals. The event log file survives
/// <see cref="RestartAsync"/> so restart tests resume from the checkpoints.
/// </summary>
public sealed class SyncHarness : IAsyncDisposable
{
    private readonly Action<GravitySyncOptions>? _configure;
    private readonly Action<IGravitySyncBuilder>? _build;
    private readonly Func<GravityRuleSet> _rules;
    private IHost? _host;

    private SyncHarness(string directory, Func<GravityRuleSet> rules, Action<GravitySyncOptions>? configure, Action<IGravitySyncBuilder>? build)
    {
        Directory = directory;
        _rules = rules;
        _configure = configure;
        _build = build;
    }

    public string Directory { get; }

    public IHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public IGravityEventLog Log => Host.Services.GetRequiredService<IGravityEventLog>();

    public IGravitySyncOperator Operator => Host.Services.GetRequiredService<IGravitySyncOperator>();

    public static async Task<SyncHarness> StartAsync(Func<string, GravityRuleSet> rules, Action<GravitySyncOptions>? configure = null, Action<IGravitySyncBuilder>? build = null, string? directory = null)
    {
        directory ??= TempDirectory.Create();
        var harness = new SyncHarness(directory, () => rules(directory), configure, build);
        try
        {
            await harness.StartHostAsync();
        }
        catch
        {
            TempDirectory.Delete(directory);
            throw;
        }

        return harness;
    }

    /// <summary>Builds a rule set from rules.json text and databases declared in code.</summary>
    public static GravityRuleSet Rules(string rulesJson, params DatabaseDefinition[] databases)
    {
        var builder = new GravityRuleSetBuilder();
        foreach (var database in databases)
        {
            builder.AddDatabase(database);
        }

        return builder.AddRulesJson("rules.json", Encoding.UTF8.GetBytes(rulesJson)).Build();
    }

    public static DatabaseDefinition Sqlite(string name, string directory) =>
        new() { Name = name, Type = DatabaseDefinition.Sqlite, DbName = Path.Combine(directory, name + ".db") };

    public async Task<long> AppendAsync(string name, string json, CancellationToken cancellationToken = default) =>
        await Log.AppendAsync(GravityEventData.FromJson(name, json), cancellationToken);

    public async Task WaitForCatchUpAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        IReadOnlyList<TargetStatus> status = [];
        while (DateTime.UtcNow < deadline)
        {
            status = await Operator.GetStatusAsync();
            if (status.Count > 0 && status.All(s => s.Running && s.CaughtUp))
            {
                return;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException("The synchronizer did not catch up: " + string.Join("; ", status));
    }

    /// <summary>Stops the host. With <paramref name="abrupt"/>, in-flight batches are abandoned (rolled back) as in a kill.</summary>
    public async Task StopAsync(bool abrupt = false)
    {
        if (_host is null)
        {
            return;
        }

        using var cts = new CancellationTokenSource();
        if (abrupt)
        {
            await cts.CancelAsync();
        }

        try
        {
            await _host.StopAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
        }

        _host.Dispose();
        _host = null;
    }

    public async Task RestartAsync(bool abrupt = false)
    {
        await StopAsync(abrupt);
        await StartHostAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        TempDirectory.Delete(Directory);
    }

    private async Task StartHostAsync()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var gravity = builder.Services.AddGravitySync(o =>
        {
            o.DataDirectory = Directory;
            o.PollInterval = TimeSpan.FromMilliseconds(50);
            o.CheckpointInterval = TimeSpan.FromMilliseconds(20);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
            o.StartupTimeout = TimeSpan.FromSeconds(20);
            _configure?.Invoke(o);
        });
        gravity.UseRules(_rules());
        _build?.Invoke(gravity);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            host.Dispose();
            throw;
        }

        _host = host;
    }
}
