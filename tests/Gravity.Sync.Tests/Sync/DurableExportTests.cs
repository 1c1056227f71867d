using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Exporters;
using Gravity.Sync.Rules;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Gravity.Sync.Tests.Sync;

/// <summary>
/// Synced events are queued in the target database with the rows they announce and published from there: an exporter
/// that fails, or a synchronizer that stops (or crashes) before publishing, delays them but loses none.
/// </summary>
public sealed class DurableExportTests
{
    private const string RulesJson = """
        {"rules":[
          {"event":"userCreated","table":"users","method":"update","mapping":[{"source":"id","target":"id","primary":true},{"source":"name","target":"col_name"}]},
          {"event":"userCreated","database":"db1","exporter":["synced"]}
        ]}
        """;

    [Fact]
    public async Task A_failing_exporter_receives_every_synced_event_once_in_source_order_after_it_recovers()
    {
        var exporter = new FlakyExporter { FailuresLeft = 4 };
        await using var sync = await StartAsync(exporter);
        var ct = TestContext.Current.CancellationToken;
        var positions = new List<long>();
        for (var i = 0; i < 30; i++)
        {
            positions.Add(await sync.AppendAsync("userCreated", $$"""{"id":"u{{i}}","name":"n{{i}}"}""", ct));
        }

        await WaitAsync(() => exporter.Published.Count >= 30, "30 synced events published");
        await sync.WaitForCatchUpAsync();

        Assert.True(exporter.Calls > 4, $"the exporter was called {exporter.Calls} times; the first 4 failed, so there must be retries");
        var published = exporter.Published.ToList();
        Assert.Equal(positions, published.Select(e => e.Position)); // each once, in source order
        Assert.Equal(30, published.Select(e => e.EventId).Distinct().Count());
        await WaitAsync(async () => await QueuedAsync(sync) == 0, "the export queue emptied");
    }

    [Fact]
    public async Task Synced_events_queued_while_the_exporter_is_down_survive_a_crash_and_are_published_after_the_restart()
    {
        var exporter = new FlakyExporter { Down = true };
        await using var sync = await StartAsync(exporter);
        var ct = TestContext.Current.CancellationToken;
        var positions = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            positions.Add(await sync.AppendAsync("userCreated", $$"""{"id":"u{{i}}","name":"n{{i}}"}""", ct));
        }

        await sync.WaitForCatchUpAsync();
        Assert.Equal(10, await QueuedAsync(sync)); // committed with the rows, not yet published
        Assert.Empty(exporter.Published);

        await sync.StopAsync(abrupt: true); // as a crash: nothing more is attempted
        exporter.Down = false;
        await sync.RestartAsync();

        await WaitAsync(() => exporter.Published.Count >= 10, "the queued synced events published after the restart");
        await WaitAsync(async () => await QueuedAsync(sync) == 0, "the export queue emptied");
        Assert.Equal(positions, exporter.Published.Select(e => e.Position));
    }

    [Fact]
    public async Task The_queue_gauges_rise_while_the_exporter_is_down_count_from_the_table_after_a_restart_and_return_to_0()
    {
        var exporter = new FlakyExporter { Down = true };

        // Pages of 4: after the restart only the count from the table can know that 10 wait.
        await using var sync = await StartAsync(exporter, o => o.ReadBatchSize = 4);
        var ct = TestContext.Current.CancellationToken;
        await WaitAsync(() => QueueGauges(sync) == (0, 0), "the gauges of an empty queue");
        for (var i = 0; i < 10; i++)
        {
            await sync.AppendAsync("userCreated", $$"""{"id":"u{{i}}","name":"n{{i}}"}""", ct);
        }

        await sync.WaitForCatchUpAsync();
        await WaitAsync(() => QueueGauges(sync) is { Length: 10, Age: > 0 }, "the gauges to show 10 synced events waiting");

        await sync.StopAsync(abrupt: true);
        await sync.RestartAsync();
        await WaitAsync(() => QueueGauges(sync) is { Length: 10, Age: > 0 }, "the restarted gauges to count the 10 waiting in the table");
        Assert.Equal(10, await QueuedAsync(sync));

        exporter.Down = false;
        await WaitAsync(() => exporter.Published.Count >= 10, "the queued synced events published");
        await WaitAsync(() => QueueGauges(sync) == (0, 0), "the gauges to return to 0");
    }

    [Fact]
    public async Task A_graceful_stop_publishes_what_the_last_batches_queued()
    {
        var exporter = new FlakyExporter { Delay = TimeSpan.FromMilliseconds(300) }; // a slow broker: the queue lags the commits
        await using var sync = await StartAsync(exporter);
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 20; i++)
        {
            await sync.AppendAsync("userCreated", $$"""{"id":"u{{i}}","name":"n{{i}}"}""", ct);
        }

        await sync.WaitForCatchUpAsync();
        Assert.True(await QueuedAsync(sync) > 0, "the exporter already caught up, so the stop has nothing to drain; slow it down");
        await sync.StopAsync();

        Assert.Equal(20, exporter.Published.Count);
        Assert.Equal(0, await QueuedAsync(sync));
    }

    [Fact]
    public async Task A_parked_event_is_announced_when_an_operator_replays_it()
    {
        const string rules = """
            {"rules":[
              {"event":"userSaved","table":"users","method":"update","database":"db1","exporter":["synced"],
               "mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"email","target":"email"}]}
            ]}
            """;
        var exporter = new FlakyExporter();
        await using var sync = await SyncHarness.StartAsync(
            dir =>
            {
                // A unique e-mail the rules know nothing about, so the database itself rejects a row and parks its key.
                using (var connection = new SqliteConnection($"Data Source={Path.Combine(dir, "db1.db")};Pooling=false"))
                {
                    connection.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT UNIQUE, _gravity_position INTEGER NOT NULL)";
                    command.ExecuteNonQuery();
                }

                return new GravityRuleSetBuilder()
                    .AddDatabase(SyncHarness.Sqlite("db1", dir))
                    .AddExporter(new ExporterDefinition { Name = "synced", Type = "memory" })
                    .AddRulesJson("rules.json", System.Text.Encoding.UTF8.GetBytes(rules))
                    .Build();
            },
            configure: o => o.Partitions = 1,
            build: b => b.AddExporter(exporter));
        var ct = TestContext.Current.CancellationToken;

        var first = await sync.AppendAsync("userSaved", """{"id":1,"email":"a@x"}""", ct);
        var parked = await sync.AppendAsync("userSaved", """{"id":2,"email":"a@x"}""", ct); // e-mail taken by 1
        var freeing = await sync.AppendAsync("userSaved", """{"id":1,"email":"b@x"}""", ct);
        await sync.WaitForCatchUpAsync();
        await WaitAsync(() => exporter.Published.Count >= 2, "the applied events announced");
        Assert.Equal([first, freeing], exporter.Published.Select(e => e.Position));

        var replay = await sync.Operator.ReplayAsync(new Operations.ParkedKey("db1", "users", "[2]"), ct);

        Assert.True(replay.Succeeded, replay.Error);
        await WaitAsync(() => exporter.Published.Count >= 3, "the replayed event announced");
        Assert.Equal([first, freeing, parked], exporter.Published.Select(e => e.Position));
    }

    private static Task<SyncHarness> StartAsync(FlakyExporter exporter, Action<Hosting.GravitySyncOptions>? configure = null) => SyncHarness.StartAsync(
        dir => new GravityRuleSetBuilder()
            .AddDatabase(SyncHarness.Sqlite("db1", dir))
            .AddExporter(new ExporterDefinition { Name = "synced", Type = "memory" })
            .AddRulesJson("rules.json", System.Text.Encoding.UTF8.GetBytes(RulesJson))
            .Build(),
        configure: o =>
        {
            o.ExportTimeout = TimeSpan.FromSeconds(2);
            configure?.Invoke(o);
        },
        build: b => b.AddExporter(exporter));

    /// <summary>Reads gravity.sync.exports.queue.length and .age of this host (db1, exporter "synced") as a metrics exporter would.</summary>
    private static (long Length, double Age) QueueGauges(SyncHarness sync)
    {
        var meters = sync.Host.Services.GetRequiredService<IMeterFactory>();
        using var length = new MetricCollector<long>(meters, GravitySyncTelemetry.Name, "gravity.sync.exports.queue.length");
        using var age = new MetricCollector<double>(meters, GravitySyncTelemetry.Name, "gravity.sync.exports.queue.age");
        length.RecordObservableInstruments();
        age.RecordObservableInstruments();
        if (length.GetMeasurementSnapshot() is not [var measured])
        {
            return (-1, -1); // the drain has not started yet
        }

        Assert.Equal("db1", measured.Tags[GravitySyncTelemetry.DatabaseAttribute]);
        Assert.Equal("synced", measured.Tags[GravitySyncTelemetry.ExporterAttribute]);
        return (measured.Value, Assert.Single(age.GetMeasurementSnapshot()).Value);
    }

    private static async Task<long> QueuedAsync(SyncHarness sync)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(sync.Directory, "db1.db")};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM gravity_exports";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task WaitAsync(Func<bool> condition, string what) => WaitAsync(() => Task.FromResult(condition()), what);

    private static async Task WaitAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for: " + what);
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>An exporter of type <c>memory</c> that fails while <see cref="Down"/> or for its first <see cref="FailuresLeft"/> calls.</summary>
    private sealed class FlakyExporter : IGravityExporter
    {
        private int _calls;
        private int _failuresLeft;

        public ConcurrentQueue<SyncedEvent> Published { get; } = new();

        public volatile bool Down;

        public int FailuresLeft { get => _failuresLeft; init => _failuresLeft = value; }

        public int Calls => Volatile.Read(ref _calls);

        public TimeSpan Delay { get; init; }

        public string Type => "memory";

        public async Task ExportAsync(ExporterDefinition exporter, IReadOnlyList<SyncedEvent> events, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            await Task.Delay(Delay, cancellationToken);
            if (Down || Interlocked.Decrement(ref _failuresLeft) >= 0)
            {
                throw new InvalidOperationException("the broker is unreachable");
            }

            foreach (var e in events)
            {
                Published.Enqueue(e);
            }
        }
    }
}
