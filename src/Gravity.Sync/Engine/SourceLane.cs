using Gravity.Sync.Diagnostics;
using Gravity.Sync.Events;

namespace Gravity.Sync.Engine;

/// <summary>
/// One ordered source (the embedded log, or one partition of a partitioned source) and the pipelines that feed each
/// database from it. Lanes of a shared source come and go as this instance gains and loses partitions; each stops on
/// its own, committing what it holds first.
/// </summary>
internal sealed class SourceLane(IEventSource source, TargetPipeline[] pipelines) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<IDisposable> _lagRegistrations = [];
    private Task _running = Task.CompletedTask;

    public IEventSource Source => source;

    public string Name => source.Name;

    /// <summary>Gets the pipelines, one per database, in the synchronizer's database order.</summary>
    public IReadOnlyList<TargetPipeline> Pipelines => pipelines;

    /// <summary>Gets or sets the position last acknowledged to the source (guarded by the synchronizer's acknowledgement lock).</summary>
    public long Acknowledged { get; set; }

    /// <summary>Gets or sets a value indicating whether the lane left this instance; it is then acknowledged no more.</summary>
    public bool Released { get; set; }

    /// <summary>Gets the position every database has durably committed.</summary>
    public long Committed => pipelines.Length == 0 ? 0 : pipelines.Min(p => p.Committed);

    public void Start(SyncInstruments instruments)
    {
        foreach (var pipeline in pipelines)
        {
            _lagRegistrations.Add(instruments.TrackLag(pipeline.ObserveLag));
        }

        _running = Task.WhenAll(pipelines.Select(p => p.RunAsync(_stop.Token, _abort.Token)));
    }

    /// <summary>
    /// Stops reading and lets the pipelines commit what they hold. When <paramref name="drain"/> passes or
    /// <paramref name="cancellationToken"/> fires first, the in-flight batches are rolled back instead.
    /// </summary>
    /// <returns><see langword="true"/> when everything read was committed; <see langword="false"/> when batches were dropped.</returns>
    public async Task<bool> StopAsync(TimeSpan drain, TimeProvider clock, CancellationToken cancellationToken)
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.WaitAsync(drain, clock, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is TimeoutException || (ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            // Abandoned batches roll back; their events are read again from the checkpoints by the next owner.
            await AbortAsync().ConfigureAwait(false);
            return false;
        }
        finally
        {
            StopReportingLag();
        }
    }

    /// <summary>Drops the in-flight batches at once and waits for the pipelines to end.</summary>
    public async Task AbortAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _abort.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        StopReportingLag();
    }

    public void Dispose()
    {
        StopReportingLag();
        _stop.Dispose();
        _abort.Dispose();
    }

    private void StopReportingLag()
    {
        lock (_lagRegistrations)
        {
            foreach (var registration in _lagRegistrations)
            {
                registration.Dispose();
            }

            _lagRegistrations.Clear();
        }
    }
}
