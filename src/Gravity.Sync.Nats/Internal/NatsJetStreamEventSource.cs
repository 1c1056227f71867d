using System.Globalization;
using Gravity.Sync.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Gravity.Sync.Nats.Internal;

/// <summary>
/// A JetStream stream as the synchronizer's source: the position is the stream sequence. Reads go through short-lived
/// ordered cursors (ephemeral pull consumers without acks, started at the asked position), so every database reads
/// from its own checkpoint; the durable consumer is acknowledged only with what every database committed
/// (<see cref="DurableAcknowledger"/>).
/// </summary>
internal sealed class NatsJetStreamEventSource : IAcknowledgedEventSource, IAsyncDisposable
{
    private const int MaxIdleCursors = 8;

    private readonly NatsConnections _connections;
    private readonly GravityNatsOptions _options;
    private readonly NatsInstruments _instruments;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _ready = new(1, 1);
    private readonly List<ReadCursor> _idle = [];
    private readonly string _prefix;
    private readonly NatsLane _lane;
    private NatsJSContext? _js;
    private DurableAcknowledger? _acknowledger;
    private int _disposed;

    public NatsJetStreamEventSource(NatsConnections connections, IOptions<GravityNatsOptions> options, NatsInstruments instruments, TimeProvider clock, ILogger<NatsJetStreamEventSource> logger)
        : this(connections, options.Value, NatsLane.WholeStream(options.Value), instruments, clock, logger)
    {
        logger.SourceConfigured(_options.ToString());
    }

    /// <summary>Reads one lane of the stream: all of it, or one partition's subjects.</summary>
    internal NatsJetStreamEventSource(NatsConnections connections, GravityNatsOptions options, NatsLane lane, NatsInstruments instruments, TimeProvider clock, ILogger logger)
    {
        _connections = connections;
        _options = options;
        _lane = lane;
        _instruments = instruments;
        _clock = clock;
        _logger = logger;
        _prefix = lane.SubjectPrefix + ".";
        Name = lane.Name;
    }

    public string Name { get; }

    public async ValueTask<IReadOnlyList<GravityEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        var js = await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var cursor = await TakeCursorAsync(js, afterPosition, cancellationToken).ConfigureAwait(false);
        var healthy = false;
        try
        {
            var events = cursor.TakeBuffered(maxCount);
            if (events.Count < maxCount)
            {
                await foreach (var msg in cursor.Consumer.FetchNoWaitAsync(new NatsJSFetchOpts { MaxMsgs = maxCount - events.Count }, NatsRawSerializer<byte[]>.Default, cancellationToken).ConfigureAwait(false))
                {
                    events.Add(ToEvent(msg));
                }
            }

            if (events.Count > 0)
            {
                cursor.After = events[^1].Position;
                if (events[0].Position > afterPosition + 1 && afterPosition > 0)
                {
                    await CheckRetentionGapAsync(js, afterPosition, events[0].Position, cancellationToken).ConfigureAwait(false);
                }
            }

            healthy = true;
            return events;
        }
        finally
        {
            await ReturnCursorAsync(cursor, healthy).ConfigureAwait(false);
        }
    }

    /// <summary>Long-polls the cursor the next read will use, so an event published meanwhile wakes the reader at once.</summary>
    public async ValueTask WaitAsync(long afterPosition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var js = await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var cursor = await TakeCursorAsync(js, afterPosition, cancellationToken).ConfigureAwait(false);
        var healthy = false;
        try
        {
            if (!cursor.HasBuffered)
            {
                // JetStream refuses pull expiries under a second; shorter polls return early with nothing, which is fine.
                var expires = timeout < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : timeout;
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(expires + TimeSpan.FromSeconds(5));
                await foreach (var msg in cursor.Consumer.FetchAsync(new NatsJSFetchOpts { MaxMsgs = 1, Expires = expires }, NatsRawSerializer<byte[]>.Default, wait.Token).ConfigureAwait(false))
                {
                    cursor.Buffer(ToEvent(msg));
                }
            }

            healthy = true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            healthy = true; // our own guard against a lost pull: just read again
        }
        finally
        {
            await ReturnCursorAsync(cursor, healthy).ConfigureAwait(false);
        }
    }

    public async ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        var js = await ReadyAsync(cancellationToken).ConfigureAwait(false);
        var stream = await js.GetStreamAsync(_options.StreamName, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (_lane.FilterSubject is not { } filter)
        {
            return checked((long)stream.Info.State.LastSeq);
        }

        // A partition's head is its own newest message, not the stream's: other partitions' events are not its lag.
        try
        {
            var last = await stream.GetAsync(new StreamMsgGetRequest { LastBySubj = filter }, cancellationToken).ConfigureAwait(false);
            return checked((long)last.Message.Seq);
        }
        catch (NatsJSApiException ex) when (ex.Error.Code == 404)
        {
            return 0; // nothing published to this partition yet
        }
    }

    public async ValueTask AcknowledgeAsync(long position, CancellationToken cancellationToken = default)
    {
        await ReadyAsync(cancellationToken).ConfigureAwait(false);
        if (await _acknowledger!.AcknowledgeAsync(position, cancellationToken).ConfigureAwait(false))
        {
            _instruments.Acknowledged.Add(1);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        List<ReadCursor> idle;
        lock (_idle)
        {
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var cursor in idle)
        {
            await DeleteAsync(cursor).ConfigureAwait(false);
        }

        _acknowledger?.Dispose();
        _ready.Dispose();
    }

    private GravityEvent ToEvent(INatsJSMsg<byte[]> msg)
    {
        var metadata = msg.Metadata ?? throw new InvalidOperationException($"A message from stream {_options.StreamName} came without JetStream metadata.");
        var sequence = metadata.Sequence.Stream;
        var headers = msg.Headers;
        var name = Header(headers, GravityMessageHeaders.EventName)
            ?? (msg.Subject.StartsWith(_prefix, StringComparison.Ordinal) ? msg.Subject[_prefix.Length..] : null);
        if (name is null)
        {
            _instruments.Invalid.Add(1);
            _logger.MessageWithoutEvent(_options.StreamName, sequence, msg.Subject, _lane.SubjectPrefix);
        }

        var time = Header(headers, GravityMessageHeaders.EventTime);
        return new GravityEvent
        {
            Position = checked((long)sequence),
            Id = Header(headers, GravityMessageHeaders.EventId) ?? Header(headers, "Nats-Msg-Id") ?? string.Create(CultureInfo.InvariantCulture, $"{Name}:{sequence}"),
            Name = name ?? string.Empty,
            Key = Header(headers, GravityMessageHeaders.EventKey),
            Payload = msg.Data ?? [],
            Timestamp = time is not null && long.TryParse(time, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : metadata.Timestamp,
            TraceParent = Header(headers, GravityMessageHeaders.TraceParent),
            TraceState = Header(headers, GravityMessageHeaders.TraceState),
        };
    }

    private static string? Header(NatsHeaders? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var values) && values.Count > 0 && !string.IsNullOrEmpty(values[^1]) ? values[^1] : null;

    private async Task CheckRetentionGapAsync(NatsJSContext js, long afterPosition, long firstRead, CancellationToken cancellationToken)
    {
        // Interior gaps are normal (deleted messages); only events that aged or were purged out before we read them are lost.
        var stream = await js.GetStreamAsync(_options.StreamName, cancellationToken: cancellationToken).ConfigureAwait(false);
        if ((long)stream.Info.State.FirstSeq > afterPosition + 1)
        {
            _logger.RetentionGap(_options.StreamName, afterPosition + 1, Math.Min(firstRead, (long)stream.Info.State.FirstSeq) - 1);
        }
    }

    private async ValueTask<NatsJSContext> ReadyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _js) is { } ready)
        {
            return ready;
        }

        await _ready.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_js is not null)
            {
                return _js;
            }

            var js = new NatsJSContext(_connections.Main);
            await NatsStreams.EnsureAsync(js, _options.StreamName, _options.SubjectPrefix + ".>", _options.CreateStream, _logger, cancellationToken).ConfigureAwait(false);
            var consumer = await js.CreateOrUpdateConsumerAsync(_options.StreamName, DurableAcknowledger.Config(_options, _lane), cancellationToken).ConfigureAwait(false);
            _logger.ConsumerReady(_lane.DurableName, _options.StreamName, consumer.Info.AckFloor?.StreamSeq ?? 0);
            _acknowledger = new DurableAcknowledger(consumer);
            Volatile.Write(ref _js, js);
            return js;
        }
        finally
        {
            _ready.Release();
        }
    }

    private async ValueTask<ReadCursor> TakeCursorAsync(NatsJSContext js, long afterPosition, CancellationToken cancellationToken)
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

        var consumer = await js.CreateOrUpdateConsumerAsync(
            _options.StreamName,
            new ConsumerConfig
            {
                // Ephemeral, unacknowledged and in memory: a cursor is cheap to drop and re-create at any position.
                // Named: servers before 2.10 refuse an unnamed consumer with a subject filter.
                Name = "gravity-cursor-" + Guid.NewGuid().ToString("N"),
                DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence,
                OptStartSeq = (ulong)afterPosition + 1,
                FilterSubject = _lane.FilterSubject,
                AckPolicy = ConsumerConfigAckPolicy.None,
                MemStorage = true,
                InactiveThreshold = TimeSpan.FromMinutes(1),
            },
            cancellationToken).ConfigureAwait(false);
        return new ReadCursor(consumer, afterPosition, _clock.GetTimestamp());
    }

    private async ValueTask ReturnCursorAsync(ReadCursor cursor, bool healthy)
    {
        ReadCursor? evicted = null;
        if (healthy && Volatile.Read(ref _disposed) == 0)
        {
            lock (_idle)
            {
                cursor.LastUsed = _clock.GetTimestamp();
                _idle.Add(cursor);
                if (_idle.Count > MaxIdleCursors)
                {
                    evicted = _idle.MinBy(c => c.LastUsed);
                    _idle.Remove(evicted!);
                }
            }
        }
        else
        {
            evicted = cursor;
        }

        if (evicted is not null)
        {
            await DeleteAsync(evicted).ConfigureAwait(false);
        }
    }

    private async Task DeleteAsync(ReadCursor cursor)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _js!.DeleteConsumerAsync(_options.StreamName, cursor.Consumer.Info.Name, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            // The server drops an idle ephemeral consumer by itself (InactiveThreshold).
        }
    }

    /// <summary>An ordered reading position: the next fetch continues right after <see cref="After"/>.</summary>
    private sealed class ReadCursor(INatsJSConsumer consumer, long after, long lastUsed)
    {
        private readonly List<GravityEvent> _buffered = [];

        public INatsJSConsumer Consumer { get; } = consumer;

        public long After { get; set; } = after;

        public long LastUsed { get; set; } = lastUsed;

        public bool HasBuffered => _buffered.Count > 0;

        /// <summary>Keeps an event fetched while waiting; <see cref="After"/> stays, so the next read of that position gets it.</summary>
        public void Buffer(GravityEvent e) => _buffered.Add(e);

        public List<GravityEvent> TakeBuffered(int max)
        {
            var taken = _buffered.Take(max).ToList();
            _buffered.RemoveRange(0, taken.Count);
            return taken;
        }
    }
}
