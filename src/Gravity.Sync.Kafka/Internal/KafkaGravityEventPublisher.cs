using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using Gravity.Sync.Events;
using Gravity.Sync.Internal;

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
            var message = new Message<string?, byte[]> { Key = KeyOf(e, options.KeyField), Value = e.Payload.ToArray(), Headers = headers };
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

    /// <summary>The message key: the event's own key, else the payload's key field as text; none when neither exists.</summary>
    internal static string? KeyOf(GravityEventData e, string? keyField) => e.Key ?? PayloadKeyField.Read(e.Payload, keyField);
}
