using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.Events;

/// <summary>Logs of the transaction event output. Event ids 1300-1399 are stable: alerts may key on them.</summary>
internal static partial class TransactionEventLog
{
    [LoggerMessage(1300, LogLevel.Warning, "Transaction event {Kind} of {Tid} (event {EventId}) was dropped for sink {Sink}: {Reason}. Event delivery is at most once; consumers will not see this event", EventName = "TransactionEventDropped")]
    public static partial void EventDropped(this ILogger logger, Exception? exception, string tid, TransactionEventKind kind, string eventId, string sink, string reason);

    [LoggerMessage(1301, LogLevel.Debug, "Sink {Sink} failed to publish transaction event {Kind} of {Tid} (attempt {Attempt}); retrying in {Delay}", EventName = "TransactionEventRetrying")]
    public static partial void EventRetrying(this ILogger logger, Exception? exception, string sink, TransactionEventKind kind, string tid, int attempt, TimeSpan delay);

    [LoggerMessage(1302, LogLevel.Information, "Transaction events go to {SinkCount} sink(s): {Sinks}", EventName = "TransactionEventSinks")]
    public static partial void SinksStarted(this ILogger logger, int sinkCount, string sinks);
}
