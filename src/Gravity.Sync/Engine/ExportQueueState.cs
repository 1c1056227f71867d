using System.Diagnostics.Metrics;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Targets;

namespace Gravity.Sync.Engine;

/// <summary>
/// How many synced events wait in one database's queue for one exporter, and since when the oldest waits, kept in
/// memory so the metrics cost no query: measured from the table when the drain starts, raised by this instance's
/// commits, lowered by its publishes, and set exactly whenever the drain reads a page that holds the whole queue (so an
/// idle queue reads 0 however it got there, e.g. entries another instance queued or published).
/// </summary>
internal sealed class ExportQueueState(string database, string exporter, TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly KeyValuePair<string, object?>[] _tags =
        [new(GravitySyncTelemetry.DatabaseAttribute, database), new(GravitySyncTelemetry.ExporterAttribute, exporter)];

    private long _length;
    private DateTimeOffset? _oldest;
    private long _queuedTotal;

    /// <summary>Gets how many entries this instance's commits have queued so far; taken before a read, it tells which commits the read may have missed.</summary>
    public long QueuedTotal
    {
        get
        {
            lock (_lock)
            {
                return _queuedTotal;
            }
        }
    }

    public Measurement<long> Length
    {
        get
        {
            lock (_lock)
            {
                return new(_length, _tags);
            }
        }
    }

    public Measurement<double> Age
    {
        get
        {
            lock (_lock)
            {
                return new(_oldest is { } oldest ? Math.Max(0, (clock.GetUtcNow() - oldest).TotalSeconds) : 0, _tags);
            }
        }
    }

    /// <summary>Sets the queue as counted in the table, plus the commits that landed during the count (as for <see cref="Read"/>).</summary>
    public void Measured(long length, DateTimeOffset? oldest, long queuedBefore)
    {
        lock (_lock)
        {
            var since = _queuedTotal - queuedBefore;
            _length = length + since;
            _oldest = length > 0 ? oldest : since > 0 ? _oldest : null;
        }
    }

    /// <summary>A commit queued <paramref name="count"/> entries, the oldest at <paramref name="oldest"/>.</summary>
    public void Queued(int count, DateTimeOffset oldest)
    {
        lock (_lock)
        {
            _length += count;
            _queuedTotal += count;
            _oldest = _oldest is { } known && known <= oldest ? known : oldest;
        }
    }

    /// <summary>
    /// The drain read the head of the queue. When the page holds the whole queue its size is exact, plus the commits
    /// that landed during the read (which the page may already hold: the next read, which their notice triggers, settles it).
    /// </summary>
    public void Read(IReadOnlyList<ExportEntry> page, bool wholeQueue, long queuedBefore)
    {
        lock (_lock)
        {
            var head = page.Count == 0 ? (DateTimeOffset?)null : page.Min(e => e.QueuedAt);
            if (wholeQueue)
            {
                var since = _queuedTotal - queuedBefore;
                _length = page.Count + since;
                _oldest = head ?? (since > 0 ? _oldest : null);
            }
            else
            {
                _length = Math.Max(_length, page.Count);
                _oldest = head;
            }
        }
    }

    /// <summary>The drain published and removed <paramref name="count"/> entries.</summary>
    public void Published(int count)
    {
        lock (_lock)
        {
            _length = Math.Max(0, _length - count);
            if (_length == 0)
            {
                _oldest = null;
            }
        }
    }
}
