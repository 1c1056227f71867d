using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Nats.Internal;

/// <summary>Logs of the NATS package. Event ids 5100-5199 (of Gravity's 5000-5999) are stable.</summary>
internal static partial class NatsLog
{
    [LoggerMessage(5100, LogLevel.Information, "Gravity reads domain events from JetStream: {Options}", EventName = "NatsSourceConfigured")]
    public static partial void SourceConfigured(this ILogger logger, string options);

    [LoggerMessage(5101, LogLevel.Information, "Created JetStream stream {Stream} for subjects {Subjects}", EventName = "NatsStreamCreated")]
    public static partial void StreamCreated(this ILogger logger, string stream, string subjects);

    [LoggerMessage(5102, LogLevel.Information, "Durable consumer {Consumer} on stream {Stream} is acknowledged up to stream sequence {AckFloor}", EventName = "NatsConsumerReady")]
    public static partial void ConsumerReady(this ILogger logger, string consumer, string stream, ulong ackFloor);

    [LoggerMessage(5110, LogLevel.Warning, "Stream {Stream} message {Sequence} on subject {Subject} names no event (no Gravity-Event header and not under {Prefix}.); it is counted as unmatched and skipped", EventName = "NatsMessageWithoutEvent")]
    public static partial void MessageWithoutEvent(this ILogger logger, string stream, ulong sequence, string subject, string prefix);

    [LoggerMessage(5111, LogLevel.Error, "Stream {Stream} no longer holds sequences {From} to {To}: retention or a purge removed them before every database read them, so those events are missing from the views", EventName = "NatsRetentionGap")]
    public static partial void RetentionGap(this ILogger logger, string stream, long from, long to);

    [LoggerMessage(5120, LogLevel.Debug, "JetStream de-duplicated event {EventId} in stream {Stream}", EventName = "NatsPublishDuplicate")]
    public static partial void PublishDuplicate(this ILogger logger, string eventId, string stream);

    [LoggerMessage(5130, LogLevel.Information, "Exporter {Exporter} publishes synced events to {Url} on {Subject}.<database>.<table> ({Mode})", EventName = "NatsExporterConfigured")]
    public static partial void ExporterConfigured(this ILogger logger, string exporter, string url, string subject, string mode);

    [LoggerMessage(5140, LogLevel.Information, "Instance {Instance} shares stream {Stream} ({Partitions} partitions) with other synchronizers through claims in bucket {Bucket} (a claim lapses {Ttl} after its last renewal)", EventName = "NatsClaimsStarted")]
    public static partial void ClaimsStarted(this ILogger logger, string instance, string stream, int partitions, string bucket, TimeSpan ttl);

    [LoggerMessage(5141, LogLevel.Information, "Instance {Instance} claimed partitions {Partitions} ({Members} instances share the stream)", EventName = "NatsPartitionsClaimed")]
    public static partial void PartitionsClaimed(this ILogger logger, string instance, string partitions, int members);

    [LoggerMessage(5142, LogLevel.Information, "Instance {Instance} released partitions {Partitions} ({Members} instances share the stream)", EventName = "NatsPartitionsReleased")]
    public static partial void PartitionsReleased(this ILogger logger, string instance, string partitions, int members);

    [LoggerMessage(5143, LogLevel.Warning, "Instance {Instance} lost its claims on partitions {Partitions} (not renewed within {Ttl}); another instance may read them now", EventName = "NatsClaimsLost")]
    public static partial void ClaimsLost(this ILogger logger, string instance, string partitions, TimeSpan ttl);

    [LoggerMessage(5144, LogLevel.Warning, "Instance {Instance}: claiming or renewing partitions failed; retrying at the next round", EventName = "NatsClaimRoundFailed")]
    public static partial void ClaimRoundFailed(this ILogger logger, Exception exception, string instance);

    [LoggerMessage(5145, LogLevel.Information, "Created key-value bucket {Bucket} for partition claims (entries live {Ttl})", EventName = "NatsClaimBucketCreated")]
    public static partial void ClaimBucketCreated(this ILogger logger, string bucket, TimeSpan ttl);
}
