using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Events;
using Gravity.Sync.Tests.Infrastructure;

namespace Gravity.Sync.Tests.Snapshots;

/// <summary>A snapshot load reports itself: one span, the rows loaded per table, and its duration.</summary>
public sealed class SnapshotTelemetryTests
{
    [Fact]
    public async Task A_load_emits_a_span_and_counts_its_rows_and_duration()
    {
        var ct = TestContext.Current.CancellationToken;
        var spans = new ConcurrentQueue<Activity>();
        var measurements = new ConcurrentQueue<(string Instrument, double Value, string? Database, string? Table)>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GravitySyncTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == GravitySyncTelemetry.Name && instrument.Name.StartsWith("gravity.sync.snapshot.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string? database = null, table = null;
            foreach (var tag in tags)
            {
                database = tag.Key == GravitySyncTelemetry.DatabaseAttribute ? tag.Value as string : database;
                table = tag.Key == GravitySyncTelemetry.TableAttribute ? tag.Value as string : table;
            }

            measurements.Enqueue((instrument.Name, value, database, table));
        }

        meters.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        meters.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        meters.Start();

        await using var sync = await SyncHarness.StartAsync(
            d => SyncHarness.Rules(SnapshotScenario.TwoDatabases("tele1", "tele2"), SyncHarness.Sqlite("tele1", d), SyncHarness.Sqlite("tele2", d)),
            o => o.MaxBatchRows = 7);
        var history = UserModel.History(keys: 50, events: 200, seed: 49);
        await sync.Log.AppendAsync([.. history.Select(h => GravityEventData.FromJson(h.Name, h.Json))], ct);
        await sync.WaitForCatchUpAsync();

        var result = await sync.Operator.ResetFromSnapshotAsync("tele2", "tele1", ct);

        Assert.Equal(UserModel.Fold(history).Count, result.Rows);
        var span = Assert.Single(spans, s => s.OperationName == "gravity.sync.snapshot" && (string?)s.GetTagItem(GravitySyncTelemetry.DatabaseAttribute) == "tele2");
        Assert.Equal("tele1", span.GetTagItem(GravitySyncTelemetry.SnapshotOriginAttribute));
        Assert.Equal(result.Rows, span.GetTagItem("gravity.snapshot.rows"));
        var mine = measurements.Where(m => m.Database == "tele2").ToList();
        Assert.Equal(result.Rows, mine.Where(m => m.Instrument == "gravity.sync.snapshot.rows").Sum(m => m.Value));
        Assert.All(mine.Where(m => m.Instrument == "gravity.sync.snapshot.rows"), m => Assert.Equal("users", m.Table));
        Assert.Single(mine, m => m.Instrument == "gravity.sync.snapshot.duration");
    }
}
