using Microsoft.Extensions.Logging;

namespace Rosen.Collector.Internal;

/// <summary>The collector's log messages. EventIds 6000-6099 belong to Rosen.Collector and never change meaning.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 6000, EventName = "SpansReceived", Level = LogLevel.Debug,
        Message = "Received {Accepted} spans over {Transport} ({Rejected} rejected, {New} new).")]
    public static partial void SpansReceived(ILogger logger, string transport, int accepted, int rejected, int @new);

    [LoggerMessage(EventId = 6001, EventName = "RequestRejected", Level = LogLevel.Information,
        Message = "An OTLP request over {Transport} was rejected with {StatusCode}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string transport, int statusCode, string reason);

    [LoggerMessage(EventId = 6002, EventName = "StoreFailed", Level = LogLevel.Error,
        Message = "The span store failed to write {Count} spans received over {Transport}; the sender was told to retry.")]
    public static partial void StoreFailed(ILogger logger, Exception exception, string transport, int count);

    [LoggerMessage(EventId = 6003, EventName = "RetentionSwept", Level = LogLevel.Information,
        Message = "Deleted {Count} spans that started before {Cutoff:o}.")]
    public static partial void RetentionSwept(ILogger logger, int count, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 6004, EventName = "RetentionFailed", Level = LogLevel.Warning,
        Message = "Deleting spans or log records older than the retention period failed; the next sweep tries again.")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 6005, EventName = "InvalidSpansRejected", Level = LogLevel.Information,
        Message = "Rejected {Count} invalid spans received over {Transport}: {Reason}")]
    public static partial void InvalidSpansRejected(ILogger logger, string transport, int count, string reason);

    [LoggerMessage(EventId = 6006, EventName = "LogRecordsReceived", Level = LogLevel.Debug,
        Message = "Received {Accepted} log records over {Transport} ({Rejected} rejected, {New} new).")]
    public static partial void LogRecordsReceived(ILogger logger, string transport, int accepted, int rejected, int @new);

    [LoggerMessage(EventId = 6007, EventName = "LogStoreFailed", Level = LogLevel.Error,
        Message = "The span store failed to write {Count} log records received over {Transport}; the sender was told to retry.")]
    public static partial void LogStoreFailed(ILogger logger, Exception exception, string transport, int count);

    [LoggerMessage(EventId = 6008, EventName = "InvalidLogRecordsRejected", Level = LogLevel.Information,
        Message = "Rejected {Count} invalid log records received over {Transport}: {Reason}")]
    public static partial void InvalidLogRecordsRejected(ILogger logger, string transport, int count, string reason);

    [LoggerMessage(EventId = 6009, EventName = "LogRetentionSwept", Level = LogLevel.Information,
        Message = "Deleted {Count} log records written before {Cutoff:o}.")]
    public static partial void LogRetentionSwept(ILogger logger, int count, DateTimeOffset cutoff);
}
