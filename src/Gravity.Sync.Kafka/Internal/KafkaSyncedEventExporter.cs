using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Gravity.Sync.Events;
using Gravity.Sync.Exporters;
using Gravity.Sync.Rules;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>
/// The exporter type <c>kafka</c>: after a batch commits, produces one "synced" event per applied row change to the
/// exporter's topic, keyed by database, table and row key (so a row's synced events stay in order). The value is the
/// <see cref="SyncedEvent"/> as JSON; headers carry the original event id and name, database, table, row key, source
/// and position, and a <c>traceparent</c> continuing the original event's trace.
/// </summary>
internal sealed class KafkaSyncedEventExporter(KafkaClients clients, KafkaInstruments instruments, ILogger<KafkaSyncedEventExporter> logger) : IGravityExporter
{
    public const string ExporterType = "kafka";

    private readonly ConcurrentDictionary<string, KafkaExporterSettings> _settings = new(StringComparer.Ordinal);

    public string Type => ExporterType;

    public async Task ExportAsync(ExporterDefinition exporter, IReadOnlyList<SyncedEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        ArgumentNullException.ThrowIfNull(events);
        var settings = _settings.GetOrAdd(exporter.Name, _ =>
        {
            var resolved = KafkaExporterSettings.Resolve(exporter, clients.Options);
            logger.ExporterConfigured(exporter.Name, resolved.BootstrapServers, resolved.Topic);
            return resolved;
        });
        var producer = clients.Producer(settings.BootstrapServers, settings.Username, settings.Password);
        var deliveries = new List<Task<DeliveryResult<string?, byte[]>>>(events.Count);
        foreach (var e in events)
        {
            using var activity = TraceHeaders.StartSend(settings.Topic, e.TraceParent, e.TraceState);
            var headers = new Headers();
            TraceHeaders.Add(headers, GravityMessageHeaders.EventId, e.EventId);
            TraceHeaders.Add(headers, GravityMessageHeaders.EventName, e.EventName);
            TraceHeaders.Add(headers, GravityMessageHeaders.Database, e.Database);
            TraceHeaders.Add(headers, GravityMessageHeaders.Table, e.Table);
            TraceHeaders.Add(headers, GravityMessageHeaders.RowKey, e.Key);
            TraceHeaders.Add(headers, GravityMessageHeaders.Position, e.Position.ToString(CultureInfo.InvariantCulture));
            if (e.Source is not null)
            {
                TraceHeaders.Add(headers, GravityMessageHeaders.Source, e.Source);
            }

            TraceHeaders.Write(headers, activity, e.TraceParent, e.TraceState);
            var message = new Message<string?, byte[]>
            {
                Key = $"{e.Database}/{e.Table}/{e.Key}",
                Value = JsonSerializer.SerializeToUtf8Bytes(e, SyncedEventJsonContext.Default.SyncedEvent),
                Headers = headers,
            };
            deliveries.Add(producer.ProduceAsync(settings.Topic, message, cancellationToken));
        }

        await Task.WhenAll(deliveries).ConfigureAwait(false);
        instruments.Published.Add(events.Count, KafkaInstruments.Kind("synced"));
    }
}
