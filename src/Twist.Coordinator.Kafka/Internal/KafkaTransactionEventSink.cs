using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shared.Kafka;
using Twist.Coordinator.Events;

namespace Twist.Coordinator.Kafka;

/// <summary>
/// Produces each <see cref="TransactionEvent"/> as JSON to the topic, keyed by transaction id, with the trace context,
/// baggage, transaction id, kind and event id in Kafka headers, and waits until the brokers stored it (<c>acks=all</c>).
/// The idempotent producer retries by itself within <see cref="KafkaEventOutputOptions.DeliveryTimeout"/> without
/// reordering or duplicating; throws when it gives up, so the coordinator's dispatcher retries and, in the end, reports
/// the event as dropped.
/// </summary>
internal sealed class KafkaTransactionEventSink : ITransactionEventSink, IDisposable
{
    private readonly IProducer<string, byte[]> producer;
    private readonly string topic;
    private readonly TransactionEventSinkTelemetry telemetry;
    private readonly ILogger<KafkaTransactionEventSink> logger;

    // A dispatcher attempt that times out leaves its message in the producer's queue, where the producer keeps retrying
    // it. The next attempt for that event waits for the same delivery, so an outage longer than one attempt neither
    // duplicates the event nor lets a copy overtake it.
    private readonly ConcurrentDictionary<string, Task<DeliveryResult<string, byte[]>>> pending = new(StringComparer.Ordinal);

    public KafkaTransactionEventSink(IOptions<KafkaEventOutputOptions> options, TransactionEventSinkTelemetry telemetry, ILogger<KafkaTransactionEventSink> logger)
    {
        var value = options.Value;
        this.telemetry = telemetry;
        this.logger = logger;
        topic = value.Topic;
        producer = new ProducerBuilder<string, byte[]>(CreateConfig(value))
            .SetErrorHandler((_, error) => logger.ClientError(topic, error.Reason, error.Code.ToString()))
            .SetLogHandler((_, message) => logger.ClientLog(message.Facility, message.Message)) // not librdkafka's default: standard error
            .Build();
        logger.Configured(value.ToString());
    }

    public async ValueTask PublishAsync(TransactionEvent transactionEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transactionEvent);
        var eventId = transactionEvent.EventId;
        if (pending.TryGetValue(eventId, out var delivery))
        {
            logger.DeliveryPending(eventId);
        }
        else
        {
            delivery = ProduceAsync(transactionEvent);
            pending[eventId] = delivery;

            // Forget the delivery once it is over, also when no attempt is waiting for it any more.
            _ = delivery.ContinueWith(
                static (done, state) =>
                {
                    var (map, id) = ((ConcurrentDictionary<string, Task<DeliveryResult<string, byte[]>>>, string))state!;
                    map.TryRemove(new(id, done));
                },
                (pending, eventId),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        try
        {
            await delivery.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (delivery.IsCompleted)
            {
                pending.TryRemove(new(eventId, delivery));
            }
        }
    }

    public void Dispose()
    {
        // The dispatcher has drained (or given up) by now; give messages still in the producer's queue a last chance.
        producer.Flush(TimeSpan.FromSeconds(5));
        producer.Dispose();
    }

    private static ProducerConfig CreateConfig(KafkaEventOutputOptions options)
    {
        var config = new ProducerConfig
        {
            BootstrapServers = options.BootstrapServers,
            ClientId = "twist-coordinator",
            MessageTimeoutMs = (int)options.DeliveryTimeout.TotalMilliseconds,
            LingerMs = 5,
        };
        KafkaSecurity.Apply(config, options.SecurityProtocol, options.SaslMechanism, options.Username, options.Password);
        options.ConfigureProducer?.Invoke(config);

        // Idempotence keeps each partition's order through the producer's retries, with several batches in flight;
        // it needs acks from all in-sync replicas. Not negotiable: the per-transaction order depends on it.
        config.EnableIdempotence = true;
        config.Acks = Acks.All;
        return config;
    }

    private async Task<DeliveryResult<string, byte[]>> ProduceAsync(TransactionEvent transactionEvent)
    {
        using var send = telemetry.StartSend(transactionEvent, "kafka", topic);
        send.Activity?.SetTag("messaging.kafka.message.key", transactionEvent.TransactionId);
        var headers = new Headers();
        foreach (var (name, value) in send.Headers)
        {
            headers.Add(name, Encoding.UTF8.GetBytes(value));
        }

        var message = new Message<string, byte[]> { Key = transactionEvent.TransactionId, Value = TransactionEventJson.SerializeToUtf8Bytes(transactionEvent), Headers = headers };
        try
        {
            // No cancellation token: once handed to the producer the message is delivered or fails on its own timeout;
            // an attempt that stops waiting leaves it there for the next attempt (see pending).
            var result = await producer.ProduceAsync(topic, message, CancellationToken.None).ConfigureAwait(false);
            if (result.Status != PersistenceStatus.Persisted)
            {
                throw new KafkaException(new Error(ErrorCode.Unknown, $"Kafka did not confirm storing transaction event {transactionEvent.EventId} at {result.TopicPartitionOffset} (status {result.Status})."));
            }

            send.Activity?.SetTag("messaging.destination.partition.id", result.Partition.Value.ToString(CultureInfo.InvariantCulture))
                .SetTag("messaging.kafka.offset", result.Offset.Value);
            send.Succeeded();
            logger.Delivered(transactionEvent.Kind.ToString(), transactionEvent.TransactionId, transactionEvent.EventId, topic, result.Partition.Value, result.Offset.Value);
            return result;
        }
        catch (Exception ex)
        {
            send.Failed(ex);
            throw;
        }
    }
}
