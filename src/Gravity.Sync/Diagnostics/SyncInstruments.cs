using System.Diagnostics;
using System.Diagnostics.Metrics;
using Gravity.Sync.Engine;

namespace Gravity.Sync.Diagnostics;

/// <summary>The synchronizer's ActivitySource and metric instruments (OpenTelemetry conventions: units, seconds for durations).</summary>
internal sealed class SyncInstruments : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(GravitySyncTelemetry.Name, typeof(SyncInstruments).Assembly.GetName().Version?.ToString());

    private readonly Meter _meter;
    private readonly List<Func<IEnumerable<Measurement<long>>>> _lagSources = [];
    private readonly List<ExportQueueState> _exportQueues = [];

    /// <param name="meterFactory">The host's meter factory; without one (a bare service provider) the meter is created directly.</param>
    public SyncInstruments(IMeterFactory? meterFactory = null)
    {
        var options = new MeterOptions(GravitySyncTelemetry.Name) { Version = typeof(SyncInstruments).Assembly.GetName().Version?.ToString() };
        _meter = meterFactory?.Create(options) ?? new Meter(options);
        Applied = _meter.CreateCounter<long>("gravity.sync.rows.applied", "{row}", "Row changes committed to a view, by database and table.");
        Parked = _meter.CreateCounter<long>("gravity.sync.rows.parked", "{row}", "Row changes held back because they or an earlier change of the same key failed, or because they have no key (dead letters).");
        Unmatched = _meter.CreateCounter<long>("gravity.sync.events.unmatched", "{event}", "Events no rule of a database matches (counted, not errors).");
        BatchDuration = _meter.CreateHistogram<double>("gravity.sync.batch.duration", "s", "Time to apply and commit one batch of a partition.");
        Retries = _meter.CreateCounter<long>("gravity.sync.batch.retries", "{retry}", "Batches retried after a transient database failure.");
        SnapshotRows = _meter.CreateCounter<long>("gravity.sync.snapshot.rows", "{row}", "Rows loaded into a database from a snapshot, by database and table.");
        SnapshotDuration = _meter.CreateHistogram<double>("gravity.sync.snapshot.duration", "s", "Time to fill a database from a snapshot, from emptying it to handing it to the live stream.");
        ExportsPublished = _meter.CreateCounter<long>("gravity.sync.exports.published", "{event}", "Synced events an exporter published, by database and exporter.");
        ExportRetries = _meter.CreateCounter<long>("gravity.sync.exports.retries", "{retry}", "Publishes of synced events retried after an exporter failed; the events stay queued in the database meanwhile.");
        ExportDelay = _meter.CreateHistogram<double>("gravity.sync.exports.delay", "s", "Time from the commit of a row change to the publish of its synced event (the oldest event of each published batch).");
        _meter.CreateObservableGauge("gravity.sync.lag", ObserveLag, "{event}", "Events read from the source but not yet committed to a database (by database).");
        _meter.CreateObservableUpDownCounter("gravity.sync.exports.queue.length", () => Observe(q => q.Length), "{event}", "Synced events queued in a database and not yet published by their exporter, by database and exporter.");
        _meter.CreateObservableGauge("gravity.sync.exports.queue.age", () => Observe(q => q.Age), "s", "How long the oldest synced event at the head of a database's queue has waited for its exporter (0 when the queue is empty).");
    }

    public Counter<long> Applied { get; }

    public Counter<long> Parked { get; }

    public Counter<long> Unmatched { get; }

    public Histogram<double> BatchDuration { get; }

    public Counter<long> Retries { get; }

    public Counter<long> SnapshotRows { get; }

    public Histogram<double> SnapshotDuration { get; }

    public Counter<long> ExportsPublished { get; }

    public Counter<long> ExportRetries { get; }

    public Histogram<double> ExportDelay { get; }

    /// <summary>Registers a pipeline's lag, reported by the gauge until the returned handle is disposed.</summary>
    public IDisposable TrackLag(Func<IEnumerable<Measurement<long>>> source)
    {
        lock (_lagSources)
        {
            _lagSources.Add(source);
        }

        return new Registration(this, source);
    }

    /// <summary>Registers an exporter's queue in a database, reported by the queue gauges until the returned handle is disposed.</summary>
    public IDisposable TrackExportQueue(ExportQueueState queue)
    {
        lock (_exportQueues)
        {
            _exportQueues.Add(queue);
        }

        return new ExportQueueRegistration(this, queue);
    }

    public void Dispose() => _meter.Dispose();

    private List<Measurement<T>> Observe<T>(Func<ExportQueueState, Measurement<T>> measure)
        where T : struct
    {
        lock (_exportQueues)
        {
            return [.. _exportQueues.Select(measure)];
        }
    }

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        Func<IEnumerable<Measurement<long>>>[] sources;
        lock (_lagSources)
        {
            sources = [.. _lagSources];
        }

        return sources.SelectMany(s => s());
    }

    private sealed class Registration(SyncInstruments owner, Func<IEnumerable<Measurement<long>>> source) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._lagSources)
            {
                owner._lagSources.Remove(source);
            }
        }
    }

    private sealed class ExportQueueRegistration(SyncInstruments owner, ExportQueueState queue) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._exportQueues)
            {
                owner._exportQueues.Remove(queue);
            }
        }
    }
}
