using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Twist.Coordinator.Events;

namespace Twist.Coordinator.Nats;

/// <summary>
/// Publishes each <see cref="TransactionEvent"/> as JSON to <c>&lt;prefix&gt;.&lt;tid&gt;.eventEmitted</c>, with the
/// trace context and the transaction id in NATS headers. In JetStream mode the server acknowledges each event and
/// de-duplicates repeats by event id; in core mode a publish is fire-and-forget (done once the client has written it).
/// Throws on failure so the coordinator's dispatcher retries and, in the end, reports the event as dropped.
/// </summary>
internal sealed class NatsTransactionEventSink : ITransactionEventSink, IAsyncDisposable
{
    private const int StreamNotFound = 10059; // JetStream API error code
    private const int StreamNameInUse = 10058;

    private readonly NatsConnection connection;
    private readonly NatsJSContext? jetStream;
    private readonly string prefix;
    private readonly string streamName;
    private readonly ILogger<NatsTransactionEventSink> logger;
    private readonly TransactionEventSinkTelemetry telemetry;
    private readonly SemaphoreSlim streamGate = new(1, 1);
    private volatile bool streamReady;

    public NatsTransactionEventSink(IOptions<NatsEventOutputOptions> options, TransactionEventSinkTelemetry telemetry, ILoggerFactory loggerFactory, ILogger<NatsTransactionEventSink> logger)
    {
        var value = options.Value;
        this.logger = logger;
        this.telemetry = telemetry;
        prefix = value.SubjectPrefix;
        streamName = value.StreamName;
        var opts = NatsOpts.Default with
        {
            Url = value.Url,
            Name = "twist-coordinator",
            ConnectTimeout = value.ConnectTimeout,
            LoggerFactory = loggerFactory,
            AuthOpts = NatsAuthOpts.Default with { Username = value.Username, Password = value.Password, Token = value.Token },

            // While disconnected, fail the publish (the dispatcher retries, then logs the drop) rather than buffer it
            // in the client, where it would be lost without a trace if the process stopped.
            PublishTimeoutOnDisconnected = true,
        };
        connection = new NatsConnection(value.ConfigureConnection?.Invoke(opts) ?? opts);
        jetStream = value.UseJetStream ? new NatsJSContext(connection) : null;
        logger.Configured(value.ToString());
    }

    /// <summary>Gets the subject an event of <paramref name="tid"/> is published to.</summary>
    public string SubjectFor(string tid) => $"{prefix}.{tid.Replace('.', '_')}.eventEmitted";

    /// <summary>The subject with the transaction id left out, for span names and metrics.</summary>
    public string SubjectTemplate => $"{prefix}.{{transactionId}}.eventEmitted";

    public async ValueTask PublishAsync(TransactionEvent transactionEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactionEvent);
        var subject = SubjectFor(transactionEvent.TransactionId);

        // The Producer span is current while the client publishes, so the NATS client's own span (when someone listens
        // to it) is its child and the trace context it writes stays in the transaction's trace.
        using var send = telemetry.StartSend(transactionEvent, "nats", subject, SubjectTemplate);
        var headers = new NatsHeaders();
        foreach (var (name, value) in send.Headers)
        {
            headers[name] = value;
        }

        try
        {
            await PublishAsync(subject, TransactionEventJson.SerializeToUtf8Bytes(transactionEvent), headers, transactionEvent.EventId, cancellationToken).ConfigureAwait(false);
            send.Succeeded();
        }
        catch (Exception ex)
        {
            send.Failed(ex);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await connection.DisposeAsync().ConfigureAwait(false);
        streamGate.Dispose();
    }

    private async ValueTask PublishAsync(string subject, byte[] payload, NatsHeaders headers, string eventId, CancellationToken cancellationToken)
    {
        if (jetStream is null)
        {
            await connection.PublishAsync(subject, payload, headers, serializer: NatsRawSerializer<byte[]>.Default, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await EnsureStreamAsync(jetStream, cancellationToken).ConfigureAwait(false);
        var ack = await jetStream.PublishAsync(
            subject,
            payload,
            NatsRawSerializer<byte[]>.Default,
            new NatsJSPubOpts { MsgId = eventId },
            headers,
            cancellationToken).ConfigureAwait(false);
        if (ack.Duplicate)
        {
            // Stored before (e.g. our earlier attempt succeeded but its ack was lost): that is success, not an error.
            logger.Duplicate(eventId, ack.Stream ?? streamName);
            return;
        }

        ack.EnsureSuccess();
    }

    /// <summary>Creates the stream on first use if it does not exist; an existing stream is left as its owner configured it.</summary>
    private async ValueTask EnsureStreamAsync(NatsJSContext js, CancellationToken cancellationToken)
    {
        if (streamReady)
        {
            return;
        }

        await streamGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (streamReady)
            {
                return;
            }

            try
            {
                await js.GetStreamAsync(streamName, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (NatsJSApiException ex) when (ex.Error.ErrCode == StreamNotFound)
            {
                var subjects = $"{prefix}.>";
                try
                {
                    await js.CreateStreamAsync(new StreamConfig(streamName, [subjects]), cancellationToken).ConfigureAwait(false);
                    logger.StreamCreated(streamName, subjects);
                }
                catch (NatsJSApiException inUse) when (inUse.Error.ErrCode == StreamNameInUse)
                {
                    // Another coordinator created it between our lookup and our create: use theirs.
                }
            }

            streamReady = true;
        }
        finally
        {
            streamGate.Release();
        }
    }
}
