using System.Globalization;
using Confluent.Kafka;
using Gravity.Sync.Events;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>
/// One partition of the topic as an ordered source: position = offset + 1, so position 0 means "nothing read yet".
/// Reads go through cursors, consumers assigned (not subscribed) to the partition at the asked offset, so each
/// database reads from its own checkpoint; the group's offset moves only by <see cref="AcknowledgeAsync"/>, through
/// the group member, while this instance owns the partition.
/// </summary>
internal sealed class KafkaPartitionSource : IAcknowledgedEventSource, IDisposable
{
    private const int MaxIdleCursors = 4;

    private readonly KafkaClients _clients;
    private readonly TopicPartition _partition;
    private readonly KafkaCommitter _committer;
    private readonly KafkaInstruments _instruments;
    private readonly ILogger _logger;
    private readonly List<Cursor> _idle = [];
    private int _disposed;

    public KafkaPartitionSource(KafkaClients clients, TopicPartition partition, KafkaCommitter committer, KafkaInstruments instruments, ILogger logger)
    {
        _clients = clients;
        _partition = partition;
        _committer = committer;
        _instruments = instruments;
        _logger = logger;
        Name = string.Create(CultureInfo.InvariantCulture, $"kafka:{partition.Topic}/{partition.Partition.Value}");
    }

    public string Name { get; }

    public ValueTask<IReadOnlyList<GravityEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        return new(Task.Run<IReadOnlyList<GravityEvent>>(() => Read(afterPosition, maxCount), cancellationToken));
    }

    /// <summary>Waits on the cursor the next read will use; a message that arrives is kept for that read.</summary>
    public ValueTask WaitAsync(long afterPosition, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new(Task.Run(() => Wait(afterPosition, timeout, cancellationToken), cancellationToken));

    public ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default) =>
        new(Task.Run(() => _committer.Watermarks(_partition, TimeSpan.FromSeconds(5)).High.Value, cancellationToken)); // the next offset = the last position

    public ValueTask AcknowledgeAsync(long position, CancellationToken cancellationToken = default) =>
        new(Task.Run(
            () =>
            {
                // Positions up to `position` are offsets up to position - 1.
                if (_committer.Commit(_partition, position))
                {
                    _instruments.Committed.Add(1);
                }
            },
            cancellationToken));

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        lock (_idle)
        {
            foreach (var cursor in _idle)
            {
                cursor.Consumer.Dispose();
            }

            _idle.Clear();
        }
    }

    private List<GravityEvent> Read(long afterPosition, int maxCount)
    {
        var cursor = Take(afterPosition);
        var healthy = false;
        try
        {
            var events = cursor.TakeBuffered(maxCount);
            while (events.Count < maxCount)
            {
                // Only what the client already fetched: an empty read sends the pipeline to WaitAsync, which blocks.
                var result = cursor.Consumer.Consume(TimeSpan.Zero);
                if (result is null || result.IsPartitionEOF)
                {
                    break;
                }

                events.Add(ToEvent(result));
            }

            if (events.Count > 0)
            {
                if (events[0].Position > afterPosition + 1 && afterPosition > 0)
                {
                    CheckRetentionGap(afterPosition, events[0].Position);
                }

                cursor.After = events[^1].Position;
            }

            healthy = true;
            return events;
        }
        finally
        {
            Return(cursor, healthy);
        }
    }

    private void Wait(long afterPosition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var cursor = Take(afterPosition);
        var healthy = false;
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!cursor.HasBuffered && !cancellationToken.IsCancellationRequested)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    break;
                }

                // Short slices so a stopping host is not held up by a long poll.
                var result = cursor.Consumer.Consume(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
                if (result is not null && !result.IsPartitionEOF)
                {
                    cursor.Buffer(ToEvent(result));
                }
            }

            healthy = true;
        }
        finally
        {
            Return(cursor, healthy);
        }
    }

    private GravityEvent ToEvent(ConsumeResult<string?, byte[]> result)
    {
        var headers = result.Message.Headers;
        var name = TraceHeaders.Get(headers, GravityMessageHeaders.EventName);
        var offset = result.Offset.Value;
        if (name is null)
        {
            _instruments.Invalid.Add(1);
            _logger.MessageWithoutEvent(_partition.Topic, _partition.Partition.Value, offset);
        }

        var time = TraceHeaders.Get(headers, GravityMessageHeaders.EventTime);
        return new GravityEvent
        {
            Position = offset + 1,
            Id = TraceHeaders.Get(headers, GravityMessageHeaders.EventId) ?? string.Create(CultureInfo.InvariantCulture, $"{Name}@{offset}"),
            Name = name ?? string.Empty,
            Key = TraceHeaders.Get(headers, GravityMessageHeaders.EventKey) ?? result.Message.Key,
            Payload = result.Message.Value ?? [],
            Timestamp = time is not null && long.TryParse(time, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
                ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
                : new DateTimeOffset(result.Message.Timestamp.UtcDateTime, TimeSpan.Zero),
            TraceParent = TraceHeaders.Get(headers, GravityMessageHeaders.TraceParent),
            TraceState = TraceHeaders.Get(headers, GravityMessageHeaders.TraceState),
        };
    }

    private void CheckRetentionGap(long afterPosition, long firstRead)
    {
        // Offsets can skip on their own (transaction markers, compaction); only an offset below the log start is lost.
        var low = _committer.Watermarks(_partition, TimeSpan.FromSeconds(5)).Low.Value;
        if (low > afterPosition)
        {
            _logger.RetentionGap(_partition.Topic, _partition.Partition.Value, afterPosition, Math.Min(low, firstRead - 1) - 1);
        }
    }

    private Cursor Take(long afterPosition)
    {
        lock (_idle)
        {
            var i = _idle.FindIndex(c => c.After == afterPosition);
            if (i >= 0)
            {
                var found = _idle[i];
                _idle.RemoveAt(i);
                return found;
            }
        }

        var consumer = new ConsumerBuilder<string?, byte[]>(_clients.ConsumerConfig(_clients.Options.GroupId))
            .SetErrorHandler((_, error) => _logger.ClientError(_partition.Topic, error.Reason))
            .Build();
        consumer.Assign(new TopicPartitionOffset(_partition, new Offset(afterPosition))); // the next offset to read
        return new Cursor(consumer, afterPosition);
    }

    private void Return(Cursor cursor, bool healthy)
    {
        Cursor? evicted = cursor;
        if (healthy && Volatile.Read(ref _disposed) == 0)
        {
            lock (_idle)
            {
                cursor.LastUsed = Environment.TickCount64;
                _idle.Add(cursor);
                evicted = _idle.Count > MaxIdleCursors ? _idle.MinBy(c => c.LastUsed) : null;
                if (evicted is not null)
                {
                    _idle.Remove(evicted);
                }
            }
        }

        evicted?.Consumer.Dispose();
    }

    /// <summary>A consumer assigned to the partition whose next message follows <see cref="After"/>.</summary>
    private sealed class Cursor(IConsumer<string?, byte[]> consumer, long after)
    {
        private readonly List<GravityEvent> _buffered = [];

        public IConsumer<string?, byte[]> Consumer { get; } = consumer;

        public long After { get; set; } = after;

        public long LastUsed { get; set; }

        public bool HasBuffered => _buffered.Count > 0;

        public void Buffer(GravityEvent e) => _buffered.Add(e);

        public List<GravityEvent> TakeBuffered(int max)
        {
            var taken = _buffered.Take(max).ToList();
            _buffered.RemoveRange(0, taken.Count);
            return taken;
        }
    }
}
