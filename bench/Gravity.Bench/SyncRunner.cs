using System.Diagnostics;
using System.Text;
using Gravity.Sync.Operations;
using Gravity.Sync.Rules;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Gravity.Bench;

/// <summary>
/// The measured synchronizer run: a generic host with AddGravitySync reading the pre-seeded embedded log, timed from
/// host start (rules loaded, table created) until every partition's committed checkpoint has reached the last event.
/// </summary>
internal static class SyncRunner
{
    // The user_profile rule of samples/Gravity.Samples.UserProfile/rules/rules.json, pointed at the bench database.
    private const string Rules = """
        {"rules":[
          {"event":"UserAdded","table":"user_profile","method":"update","database":"bench",
           "mapping":[
             {"source":"userId","target":"user_id","primary":true},
             {"source":"name","target":"name"},
             {"source":"gender","target":"gender"},
             {"source":"city","target":"city"},
             {"source":"birthOfDay","target":"birth_of_day"},
             {"source":"address","target":"address"}]}
        ]}
        """;

    public static async Task<(TimeSpan Elapsed, long Batches, TimeSpan BatchTime)> RunAsync(BenchDatabase database, string logPath, int events, BenchOptions options)
    {
        var rules = new GravityRuleSetBuilder().AddDatabase(database.Definition).AddRulesJson("rules.json", Encoding.UTF8.GetBytes(Rules)).Build();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddGravitySync(o =>
        {
            o.DataDirectory = Path.GetDirectoryName(logPath)!;
            o.EventLogPath = logPath;
            o.MaxBatchRows = options.BatchRows;
            o.Partitions = options.Partitions;
            // A partition whose last batch committed before the reader's final watermark moves its checkpoint on its
            // own after this interval; the default 1 s would add up to a second of idle time to the measurement.
            o.CheckpointInterval = options.CheckpointInterval;
        }).UseRules(rules).AddPostgreSql();
        using var host = builder.Build();
        using var meter = new BatchMeter();
        var watch = Stopwatch.StartNew();
        await host.StartAsync();
        var gravity = host.Services.GetRequiredService<IGravitySyncOperator>();
        IReadOnlyList<TargetStatus> status = [];
        while (status.Count == 0 || status.Any(s => s.Position < events))
        {
            if (watch.Elapsed > TimeSpan.FromMinutes(10))
            {
                throw new TimeoutException("The synchronizer did not catch up within 10 minutes: " + string.Join("; ", status));
            }

            await Task.Delay(10);
            status = await gravity.GetStatusAsync();
        }

        var elapsed = watch.Elapsed;
        await host.StopAsync();
        if (status.Any(s => s.ParkedKeys > 0))
        {
            throw new InvalidOperationException("The synchronizer parked keys: " + string.Join("; ", status));
        }

        return (elapsed, meter.Batches, meter.BatchTime);
    }
}
