using System.Text.Json;
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
    private readonly SemaphoreSlim streamGate = new(1, 1);
    private volatile bool streamReady;

    public NatsTransactionEventSink(IOptions<NatsEventOutputOptions> options, ILoggerFactory loggerFactory, ILogger<NatsTransactionEventSink> logger)
    {
        var value = options.Value;
        this.logger = logger;
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

    public async ValueTask PublishAsync(TransactionEvent transactionEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactionEvent);
        var subject = SubjectFor(transactionEvent.TransactionId);
        var payload = JsonSerializer.SerializeToUtf8Bytes(transactionEvent, NatsEventJsonContext.Default.TransactionEvent);
        var headers = new NatsHeaders
        {
            [TwistNatsEventHeaders.TransactionId] = transactionEvent.TransactionId,
            [TwistNatsEventHeaders.Event] = transactionEvent.Kind.ToString(),
        };
        if (transactionEvent.TraceParent is { } traceParent)
        {
            headers[TwistNatsEventHeaders.TraceParent] = traceParent;
            if (!string.IsNullOrEmpty(transactionEvent.TraceState))
            {
                headers[TwistNatsEventHeaders.TraceState] = transactionEvent.TraceState;
            }
        }

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
            new NatsJSPubOpts { MsgId = transactionEvent.EventId },
            headers,
            cancellationToken).ConfigureAwait(false);
        if (ack.Duplicate)
        {
            // Stored before (e.g. our earlier attempt succeeded but its ack was lost): that is success, not an error.
            logger.Duplicate(transactionEvent.EventId, ack.Stream ?? streamName);
            return;
        }

        ack.EnsureSuccess();
    }

    public async ValueTask DisposeAsync()
    {
        await connection.DisposeAsync().ConfigureAwait(false);
        streamGate.Dispose();
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
