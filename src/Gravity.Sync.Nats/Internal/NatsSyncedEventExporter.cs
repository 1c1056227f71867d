using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Gravity.Sync.Events;
using Gravity.Sync.Exporters;
using Gravity.Sync.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Gravity.Sync.Nats.Internal;

/// <summary>
/// The exporter type <c>nats</c>: after a batch commits, publishes one "synced" event per applied row change to
/// <c>&lt;subject&gt;.&lt;database&gt;.&lt;table&gt;</c>. The body is the <see cref="SyncedEvent"/> as JSON; headers
/// carry the original event id and name, database, table, row key, source and position, and a <c>traceparent</c> that
/// continues the original event's trace (a Producer span when tracing is on). In JetStream mode the server
/// acknowledges each one and de-duplicates repeats by event, database, table and key.
/// </summary>
internal sealed class NatsSyncedEventExporter(NatsConnections connections, IOptions<GravityNatsOptions> options, NatsInstruments instruments, ILogger<NatsSyncedEventExporter> logger) : IGravityExporter, IDisposable
{
    public const string ExporterType = "nats";

    private readonly ConcurrentDictionary<string, NatsExporterSettings> _settings = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _streams = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _streamGate = new(1, 1);

    public string Type => ExporterType;

    public async Task ExportAsync(ExporterDefinition exporter, IReadOnlyList<SyncedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(events);
        var settings = _settings.GetOrAdd(exporter.Name, _ =>
        {
            var resolved = NatsExporterSettings.Resolve(exporter, options.Value);
            logger.ExporterConfigured(exporter.Name, Redaction.Url(resolved.Url), resolved.Subject, resolved.UseJetStream ? "JetStream stream " + resolved.StreamName : "core NATS");
            return resolved;
        });
        var connection = connections.Get(settings.Url, settings.Username, settings.Password, settings.Token);
        var js = settings.UseJetStream ? new NatsJSContext(connection) : null;
        if (js is not null)
        {
            await EnsureStreamAsync(js, settings, cancellationToken).ConfigureAwait(false);
        }

        foreach (var e in events)
        {
            var subject = $"{settings.Subject}.{NatsNames.Token(e.Database)}.{NatsNames.Token(e.Table)}";
            using var activity = TraceHeaders.StartSend(subject, e.TraceParent, e.TraceState);
            var headers = new NatsHeaders
            {
                [GravityMessageHeaders.EventId] = e.EventId,
                [GravityMessageHeaders.EventName] = e.EventName,
                [GravityMessageHeaders.Database] = e.Database,
                [GravityMessageHeaders.Table] = e.Table,
                [GravityMessageHeaders.RowKey] = e.Key,
                [GravityMessageHeaders.Position] = e.Position.ToString(CultureInfo.InvariantCulture),
            };
            if (e.Source is not null)
            {
                headers[GravityMessageHeaders.Source] = e.Source;
            }

            TraceHeaders.Write(headers, activity, e.TraceParent, e.TraceState);
            var body = JsonSerializer.SerializeToUtf8Bytes(e, SyncedEventJsonContext.Default.SyncedEvent);
            if (js is null)
            {
                await connection.PublishAsync(subject, body, headers, serializer: NatsRawSerializer<byte[]>.Default, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var ack = await js.PublishAsync(subject, body, NatsRawSerializer<byte[]>.Default, new NatsJSPubOpts { MsgId = $"{e.EventId}:{e.Database}:{e.Table}:{e.Key}" }, headers, cancellationToken).ConfigureAwait(false);
                if (!ack.Duplicate)
                {
                    ack.EnsureSuccess();
                }
            }

            instruments.Published.Add(1, NatsInstruments.Kind("synced"));
        }
    }

    public void Dispose() => _streamGate.Dispose();

    private async Task EnsureStreamAsync(NatsJSContext js, NatsExporterSettings settings, CancellationToken cancellationToken)
    {
        var key = settings.Url + "|" + settings.StreamName;
        if (_streams.ContainsKey(key))
        {
            return;
        }

        await _streamGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_streams.ContainsKey(key))
            {
                await NatsStreams.EnsureAsync(js, settings.StreamName, settings.Subject + ".>", create: true, logger, cancellationToken).ConfigureAwait(false);
                _streams[key] = true;
            }
        }
        finally
        {
            _streamGate.Release();
        }
    }
}
