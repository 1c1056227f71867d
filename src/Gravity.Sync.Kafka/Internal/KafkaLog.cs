using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>Logs of the Kafka package. Event ids 5200-5299 (of Gravity's 5000-5999) are stable.</summary>
internal static partial class KafkaLog
{
    [LoggerMessage(5200, LogLevel.Information, "Gravity reads domain events from Kafka: {Options}; {Partitions} partitions", EventName = "KafkaSourceConfigured")]
    public static partial void SourceConfigured(this ILogger logger, string options, int partitions);

    [LoggerMessage(5210, LogLevel.Warning, "Topic {Topic} partition {Partition} offset {Offset} names no event (no Gravity-Event header); it is counted as unmatched and skipped", EventName = "KafkaMessageWithoutEvent")]
    public static partial void MessageWithoutEvent(this ILogger logger, string topic, int partition, long offset);

    [LoggerMessage(5211, LogLevel.Error, "Topic {Topic} partition {Partition} no longer holds offsets {From} to {To}: retention removed them before every database read them, so those events are missing from the views", EventName = "KafkaRetentionGap")]
    public static partial void RetentionGap(this ILogger logger, string topic, int partition, long from, long to);

    [LoggerMessage(5212, LogLevel.Warning, "Kafka client error on {Topic}: {Reason}", EventName = "KafkaClientError")]
    public static partial void ClientError(this ILogger logger, string topic, string reason);

    [LoggerMessage(5240, LogLevel.Information, "Gravity joined consumer group for Kafka: {Options}; the topic has {Partitions} partitions, shared by the group's instances", EventName = "KafkaGroupJoined")]
    public static partial void GroupJoined(this ILogger logger, string options, int partitions);

    [LoggerMessage(5241, LogLevel.Information, "Topic {Topic}: partitions {Partitions} assigned to this instance", EventName = "KafkaPartitionsAssigned")]
    public static partial void PartitionsAssigned(this ILogger logger, string topic, string partitions);

    [LoggerMessage(5242, LogLevel.Information, "Topic {Topic}: partitions {Partitions} revoked from this instance (lost: {Lost})", EventName = "KafkaPartitionsRevoked")]
    public static partial void PartitionsRevoked(this ILogger logger, string topic, string partitions, bool lost);

    [LoggerMessage(5243, LogLevel.Error, "Topic {Topic}: the synchronizer failed to take over or hand over partitions in a rebalance", EventName = "KafkaRebalanceFailed")]
    public static partial void RebalanceFailed(this ILogger logger, Exception exception, string topic);

    [LoggerMessage(5244, LogLevel.Information, "Gravity left the consumer group of topic {Topic}", EventName = "KafkaGroupLeft")]
    public static partial void GroupLeft(this ILogger logger, string topic);

    [LoggerMessage(5230, LogLevel.Information, "Exporter {Exporter} produces synced events to {Servers} topic {Topic}", EventName = "KafkaExporterConfigured")]
    public static partial void ExporterConfigured(this ILogger logger, string exporter, string servers, string topic);
}
