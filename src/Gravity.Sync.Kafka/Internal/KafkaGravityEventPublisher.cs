using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Gravity.Sync.Events;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>
/// Produces domain events to the topic: the JSON payload as the value, id, name, key, time and trace context in
/// headers, and the message key from <see cref="GravityEventData.Key"/> or else the payload's
/// <see cref="GravityKafkaOptions.KeyField"/>, so every event of a row lands in one partition and keeps its order.
/// A batch is produced in order and awaited together; the idempotent producer keeps that order through retries.
/// </summary>
internal sealed class KafkaGravityEventPublisher(KafkaClients clients, KafkaInstruments instruments) : IGravityEventPublisher
{
    public async ValueTask PublishAsync(IReadOnlyList<GravityEventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var options = clients.Options;
        var producer = clients.Producer(options.BootstrapServers, options.Username, options.Password);
        var deliveries = new List<Task<DeliveryResult<string?, byte[]>>>(events.Count);
        foreach (var e in events)
        {
            ArgumentNullException.ThrowIfNull(e, nameof(events));
            using var activity = TraceHeaders.StartSend(options.Topic, e.TraceParent, e.TraceState);
            var headers = new Headers();
            TraceHeaders.Add(headers, GravityMessageHeaders.EventId, e.Id);
            TraceHeaders.Add(headers, GravityMessageHeaders.EventName, e.Name);
            if (e.Key is not null)
            {
                TraceHeaders.Add(headers, GravityMessageHeaders.EventKey, e.Key);
            }

            if (e.Timestamp is { } time)
            {
                TraceHeaders.Add(headers, GravityMessageHeaders.EventTime, time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
            }

            TraceHeaders.Write(headers, activity, e.TraceParent, e.TraceState);
            var message = new Message<string?, byte[]> { Key = e.Key ?? KeyOf(e.Payload, options.KeyField), Value = e.Payload.ToArray(), Headers = headers };
            deliveries.Add(producer.ProduceAsync(options.Topic, message, cancellationToken));
        }

        foreach (var delivery in await Task.WhenAll(deliveries).ConfigureAwait(false))
        {
            if (delivery.Status != PersistenceStatus.Persisted)
            {
                throw new KafkaException(new Error(ErrorCode.Unknown, $"Kafka did not confirm storing event at {delivery.TopicPartitionOffset} (status {delivery.Status})."));
            }
        }

        instruments.Published.Add(events.Count, KafkaInstruments.Kind("event"));
    }

    /// <summary>The key field's value as text (a JSON string's content, or a number's literal); none for missing or malformed payloads.</summary>
    internal static string? KeyOf(ReadOnlyMemory<byte> payload, string? field)
    {
        if (field is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(payload);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty(field, out var value)
                ? value.ValueKind switch
                {
                    JsonValueKind.String => value.GetString(),
                    JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.GetRawText(),
                    _ => null,
                }
                : null;
        }
        catch (JsonException)
        {
            return null; // published as is: the synchronizer records it as a dead letter with the reason
        }
    }
}
