using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.Kafka;

/// <summary>Logs of the Kafka event output. Event ids 1330-1349 (of the event output's 1300-1399) are stable.</summary>
internal static partial class KafkaEventLog
{
    [LoggerMessage(1330, LogLevel.Information, "Transaction events are published to Kafka: {Options}", EventName = "KafkaEventOutputConfigured")]
    public static partial void Configured(this ILogger logger, string options);

    [LoggerMessage(1331, LogLevel.Warning, "Kafka client error while publishing transaction events to {Topic}: {Reason} ({Code}); the producer keeps retrying", EventName = "KafkaEventClientError")]
    public static partial void ClientError(this ILogger logger, string topic, string reason, string code);

    [LoggerMessage(1332, LogLevel.Debug, "Transaction event {Kind} of {Tid} (event {EventId}) stored in {Topic} partition {Partition} at offset {Offset}", EventName = "KafkaEventDelivered")]
    public static partial void Delivered(this ILogger logger, string kind, string tid, string eventId, string topic, int partition, long offset);

    [LoggerMessage(1333, LogLevel.Debug, "Transaction event {EventId} is still being delivered by the producer; waiting for that delivery instead of producing a copy", EventName = "KafkaEventDeliveryPending")]
    public static partial void DeliveryPending(this ILogger logger, string eventId);

    [LoggerMessage(1334, LogLevel.Debug, "librdkafka {Facility}: {Message}", EventName = "KafkaEventClientLog")]
    public static partial void ClientLog(this ILogger logger, string facility, string message);
}
