using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.Nats;

/// <summary>Logs of the NATS event output. Event ids 1310-1329 (of the event output's 1300-1399) are stable.</summary>
internal static partial class NatsEventLog
{
    [LoggerMessage(1310, LogLevel.Information, "Transaction events are published to NATS: {Options}", EventName = "NatsEventOutputConfigured")]
    public static partial void Configured(this ILogger logger, string options);

    [LoggerMessage(1311, LogLevel.Information, "Created JetStream stream {Stream} for subjects {Subjects}", EventName = "NatsEventStreamCreated")]
    public static partial void StreamCreated(this ILogger logger, string stream, string subjects);

    [LoggerMessage(1312, LogLevel.Debug, "JetStream de-duplicated transaction event {EventId} in stream {Stream}", EventName = "NatsEventDuplicate")]
    public static partial void Duplicate(this ILogger logger, string eventId, string stream);
}
