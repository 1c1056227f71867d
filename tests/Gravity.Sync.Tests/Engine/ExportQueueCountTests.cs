using System.Diagnostics.Metrics;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Engine;
using Gravity.Sync.Exporters;
using Gravity.Sync.Hosting;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gravity.Sync.Tests.Engine;

/// <summary>
/// The export-queue gauges start from a count of the table. A commit that lands while the table is counted is both in
/// the count and in the drain's own tally; with pages smaller than the queue nothing corrects a double count later.
/// </summary>
public sealed class ExportQueueCountTests
{
    [Fact]
    public async Task A_commit_landing_during_the_start_count_is_counted_once()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var instruments = new SyncInstruments(meters);
        var store = new QueueTable(initial: 2);
        var drain = new ExportDrain(
            "db1",
            store,
            new ExporterDefinition { Name = "synced", Type = "test" },
            new DownExporter(),
            new GravitySyncOptions { ReadBatchSize = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(50) },
            TimeProvider.System,
            NullLogger.Instance,
            instruments);

        // The first count sees a third entry whose commit notice arrives during the count.
        store.DuringFirstCount = () => drain.Queued([store.Add()]);
        using var stop = new CancellationTokenSource();
        var run = drain.RunAsync(stop.Token, stop.Token);

        using var length = new MetricCollector<long>(meters, GravitySyncTelemetry.Name, "gravity.sync.exports.queue.length");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (store.Counts < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        await Task.Delay(200, TestContext.Current.CancellationToken); // pages of 1 are read and fail to publish meanwhile
        length.RecordObservableInstruments();
        var measured = length.LastMeasurement!.Value;
        await stop.CancelAsync();
        await run;

        Assert.True(store.Counts >= 2, "the drain did not count again after a commit landed during its count");
        Assert.Equal(3, measured);
    }

    /// <summary>A queue table in memory; the count can run code while it counts, as a concurrent commit would.</summary>
    private sealed class QueueTable(int initial) : ITargetWriter, IExportQueueStore
    {
        private readonly List<ExportEntry> _entries = [.. Enumerable.Range(0, initial).Select(Entry)];
        private int _counts;

        public Action? DuringFirstCount { get; set; }

        public int Counts => Volatile.Read(ref _counts);

        public string Database => "db1";

        public int DefaultPartitions => 1;

        public ExportEntry Add()
        {
            lock (_entries)
            {
                var entry = Entry(_entries.Count);
                _entries.Add(entry);
                return entry;
            }
        }

        public Task<(long Length, DateTimeOffset? Oldest)> MeasureExportsAsync(string exporter, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _counts) == 1)
            {
                DuringFirstCount?.Invoke();
            }

            lock (_entries)
            {
                return Task.FromResult<(long, DateTimeOffset?)>((_entries.Count, _entries.Min(e => e.QueuedAt)));
            }
        }

        public Task<IReadOnlyList<ExportEntry>> ReadExportsAsync(string exporter, int maxCount, CancellationToken cancellationToken)
        {
            lock (_entries)
            {
                return Task.FromResult<IReadOnlyList<ExportEntry>>([.. _entries.Take(maxCount)]);
            }
        }

        public Task RemoveExportsAsync(IReadOnlyList<ExportEntry> entries, CancellationToken cancellationToken) => throw new InvalidOperationException("the exporter is down: nothing is published");

        public Task<IReadOnlyList<TableSchema>> PrepareAsync(IReadOnlyList<TableRequirement> tables, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<CheckpointEntry>> ReadCheckpointsAsync(string source, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<IReadOnlyList<ParkedEntry>> ReadParkedAsync(string source, string? table, string? key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<ITargetTransaction> BeginAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public bool IsTransient(Exception exception) => false;

        public string DescribeFailure(Exception exception) => exception.Message;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static ExportEntry Entry(int i) => new()
        {
            Exporter = "synced",
            Source = "log",
            Position = i + 1,
            OpIndex = 0,
            EventId = $"e{i}",
            EventName = "userCreated",
            Table = "users",
            Key = $"[{i}]",
            QueuedAt = DateTimeOffset.UtcNow.AddSeconds(-10 + i),
        };
    }

    private sealed class DownExporter : IGravityExporter
    {
        public string Type => "test";

        public Task ExportAsync(ExporterDefinition exporter, IReadOnlyList<SyncedEvent> events, CancellationToken cancellationToken) =>
            throw new IOException("the broker is down");
    }
}
