using System.Globalization;
using Gravity.Sync.Events;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Gravity.Sync.Nats.Internal;

/// <summary>
/// Publishes domain events into the JetStream stream, one after another so the stream keeps their order: subject
/// <c>&lt;prefix&gt;.&lt;event&gt;</c>, or <c>&lt;prefix&gt;.&lt;partition&gt;.&lt;event&gt;</c> when the stream is
/// partitioned (<see cref="NatsPartitioning"/>), the JSON payload as the body, id, name, key, time and trace context in headers.
/// The event id is the <c>Nats-Msg-Id</c>, so a repeat within the stream's duplicate window is stored once.
/// </summary>
internal sealed class NatsGravityEventPublisher(NatsConnections connections, IOptions<GravityNatsOptions> options, NatsInstruments instruments, ILogger<NatsGravityEventPublisher> logger) : IGravityEventPublisher, IDisposable
{
    private readonly GravityNatsOptions _options = options.Value;
    private readonly SemaphoreSlim _streamGate = new(1, 1);
    private NatsJSContext? _js;

    public async ValueTask PublishAsync(IReadOnlyList<GravityEventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var js = await ReadyAsync(cancellationToken).ConfigureAwait(false);
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(events));
            var prefix = _options.Partitions > 0
                ? NatsPartitioning.Prefix(_options.SubjectPrefix, NatsPartitioning.PartitionOf(NatsPartitioning.KeyOf(e, _options.KeyField), _options.Partitions))
                : _options.SubjectPrefix;
            var subject = prefix + "." + NatsNames.Token(e.Name);
            using var activity = TraceHeaders.StartSend(subject, e.TraceParent, e.TraceState);
            var headers = new NatsHeaders
            {
                [GravityMessageHeaders.EventId] = e.Id,
                [GravityMessageHeaders.EventName] = e.Name,
            };
            if (e.Key is not null)
            {
                headers[GravityMessageHeaders.EventKey] = e.Key;
            }

            if (e.Timestamp is { } time)
            {
                headers[GravityMessageHeaders.EventTime] = time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            }

            TraceHeaders.Write(headers, activity, e.TraceParent, e.TraceState);
            var ack = await js.PublishAsync(subject, e.Payload.ToArray(), NatsRawSerializer<byte[]>.Default, new NatsJSPubOpts { MsgId = e.Id }, headers, cancellationToken).ConfigureAwait(false);
            if (ack.Duplicate)
            {
                logger.PublishDuplicate(e.Id, ack.Stream ?? _options.StreamName);
                continue;
            }

            ack.EnsureSuccess();
            instruments.Published.Add(1, NatsInstruments.Kind("event"));
        }
    }

    public void Dispose() => _streamGate.Dispose();

    private async ValueTask<NatsJSContext> ReadyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _js) is { } ready)
        {
            return ready;
        }

        await _streamGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_js is null)
            {
                var js = new NatsJSContext(connections.Main);
                await NatsStreams.EnsureAsync(js, _options.StreamName, _options.SubjectPrefix + ".>", _options.CreateStream, logger, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _js, js);
            }

            return _js;
        }
        finally
        {
            _streamGate.Release();
        }
    }
}
