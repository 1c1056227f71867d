using System.Diagnostics.Metrics;

namespace Gravity.Bench;

/// <summary>Listens to the synchronizer's own metrics for one run: how many commits it made and how many rows they held.</summary>
internal sealed class BatchMeter : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _batches;
    private long _rows;

    public BatchMeter()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "Gravity.Sync" && instrument.Name is "gravity.sync.batch.duration" or "gravity.sync.rows.applied")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _batches));
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _rows, value));
        _listener.Start();
    }

    public long Batches => Interlocked.Read(ref _batches);

    public long Rows => Interlocked.Read(ref _rows);

    public void Dispose() => _listener.Dispose();
}
