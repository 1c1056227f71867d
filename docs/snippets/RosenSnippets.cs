using System.Text;
using Confluent.Kafka;
using NATS.Client.Core;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Rosen.Tracing;
using Twist.Coordinator.Events;

namespace Twist.Docs.Snippets;

public static class RosenSnippets
{
    public static void ServiceTracing(WebApplicationBuilder builder)
    {
        #region snippet: rosen-service-tracing
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("bank"))
            .WithTracing(t => t
                .AddRosenTracing()                 // Twist and Gravity sources, transaction-id stamping
                .AddAspNetCoreInstrumentation()    // server spans: the topology's call edges
                .AddHttpClientInstrumentation()    // client spans
                .AddOtlpExporter());               // configured by the variables below
        #endregion
    }

    public static void ServiceLogging(WebApplicationBuilder builder)
    {
        #region snippet: rosen-service-logging
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("bank"))
            .WithTracing(t => t.AddRosenTracing().AddOtlpExporter())
            .WithLogging(l => l.AddOtlpExporter());   // POST /v1/logs, same OTEL_EXPORTER_OTLP_* variables
        #endregion
    }

    public static void EventOutput(WebApplicationBuilder builder)
    {
        #region snippet: rosen-event-output
        builder.Services.AddTwistCoordinator(o => o.UseSqlite("data/twist-coordinator.db"))
            .AddNatsEventOutput(nats => nats.Url = "nats://nats.internal:4222")   // subjects twist.transaction.<id>.eventEmitted
            .AddKafkaEventOutput(kafka =>
            {
                kafka.BootstrapServers = "kafka1:9092,kafka2:9092";
                kafka.Topic = "twist.transactions";                              // keyed by transaction id
            });
        #endregion
    }

    public static void KafkaConsumer(IConsumer<string, byte[]> consumer, CancellationToken stoppingToken)
    {
        #region snippet: rosen-event-consumer-kafka
        var message = consumer.Consume(stoppingToken);
        var propagated = MessageTracing.Extract(message.Message.Headers,
            static (headers, key) => headers.TryGetLastBytes(key, out var value) ? [Encoding.UTF8.GetString(value)] : null);

        // A Consumer span in the coordinator's trace, stamped with twist.transaction.id from the baggage.
        using var span = MessageTracing.StartProcess("kafka", message.Topic, propagated);
        var transactionEvent = TransactionEventJson.Deserialize(message.Message.Value);
        if (transactionEvent is { Kind: TransactionEventKind.Completed, Status: Twist.Transactions.TransactionStatus.Confirmed })
        {
            // ... react: ship the order, send the mail
        }
        #endregion
    }

    public static async Task NatsConsumerAsync(NatsConnection nats, CancellationToken stoppingToken)
    {
        #region snippet: rosen-event-consumer-nats
        await foreach (var message in nats.SubscribeAsync<byte[]>("twist.transaction.>", cancellationToken: stoppingToken))
        {
            var propagated = MessageTracing.Extract(message.Headers,
                static (headers, key) => headers is not null && headers.TryGetValue(key, out var values) ? [values.ToString()] : null);
            using var span = MessageTracing.StartProcess("nats", message.Subject, propagated);
            var transactionEvent = TransactionEventJson.Deserialize(message.Data);
            // ...
        }
        #endregion
    }
}
