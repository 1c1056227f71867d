using System.Diagnostics.Metrics;

namespace Gravity.Bench;

/// <summary>Listens to the synchronizer's own metrics for one run: how many commits it made and how many rows they held.</summary>
internal sealed class BatchMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches;
    private long _rows;
    private double _seconds;

    public BatchMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Gravity.Sync" && instrument.Name is "gravity.sync.batch.duration" or "gravity.sync.rows.applied")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            Interlocked.Increment(ref _batches);
            lock (_listener)
            {
                _seconds += seconds;
            }
        });
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _rows, value));
        _listener.Start();
    }

    public long Batches => Interlocked.Read(ref _batches);

    public long Rows => Interlocked.Read(ref _rows);

    /// <summary>Gets the time the partitions spent in commits (summed over partitions): against the run's time it tells whether the writers were the bottleneck.</summary>
    public TimeSpan BatchTime
    {
        get
        {
            lock (_listener)
            {
                return TimeSpan.FromSeconds(_seconds);
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
