using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Diagnostics;

/// <summary>The synchronizer's structured logs. Event ids 5000-5099 are stable: alerts and dashboards may key on them.</summary>
internal static partial class SyncLog
{
    [LoggerMessage(5000, LogLevel.Information, "Gravity synchronizer started: {Rules} rules, databases {Databases}, source {Source} ({Partitions} partitions in all)", EventName = "SynchronizerStarted")]
    public static partial void SynchronizerStarted(this ILogger logger, int rules, string databases, string source, int partitions);

    [LoggerMessage(5001, LogLevel.Information, "Database {Database} ready: tables {Tables}", EventName = "TargetReady")]
    public static partial void TargetReady(this ILogger logger, string database, string tables);

    [LoggerMessage(5002, LogLevel.Information, "Database {Database} resumes source {Source} from position {Position} with {Partitions} partitions and {ParkedKeys} parked keys", EventName = "PipelineResumed")]
    public static partial void PipelineResumed(this ILogger logger, string database, string source, long position, int partitions, int parkedKeys);

    [LoggerMessage(5003, LogLevel.Information, "Gravity synchronizer stopped", EventName = "SynchronizerStopped")]
    public static partial void SynchronizerStopped(this ILogger logger);

    [LoggerMessage(5010, LogLevel.Warning, "Database {Database} partition {Partition}: batch failed transiently (attempt {Attempt}), retrying in {Delay}", EventName = "BatchRetrying")]
    public static partial void BatchRetrying(this ILogger logger, Exception exception, string database, int partition, int attempt, TimeSpan delay);

    [LoggerMessage(5011, LogLevel.Debug, "Database {Database} partition {Partition}: batch of {Rows} rows failed; applying row by row to find the failing key", EventName = "BatchIsolating")]
    public static partial void BatchIsolating(this ILogger logger, Exception exception, string database, int partition, int rows);

    [LoggerMessage(5012, LogLevel.Warning, "Database {Database} table {Table}: key {Key} parked at position {Position} (event {EventName} {EventId}): {Reason}", EventName = "KeyParked")]
    public static partial void KeyParked(this ILogger logger, string database, string table, string key, long position, string eventName, string eventId, string reason);

    [LoggerMessage(5013, LogLevel.Warning, "Database {Database} table {Table}: event {EventName} {EventId} at position {Position} skipped as a dead letter: {Reason}", EventName = "DeadLetter")]
    public static partial void DeadLetter(this ILogger logger, string database, string table, long position, string eventName, string eventId, string reason);

    [LoggerMessage(5014, LogLevel.Error, "Database {Database}: the pipeline of source {Source} failed and restarts from its checkpoints in {Delay}", EventName = "PipelineFailed")]
    public static partial void PipelineFailed(this ILogger logger, Exception exception, string database, string source, TimeSpan delay);

    [LoggerMessage(5015, LogLevel.Information, "Database {Database} table {Table} truncated at position {Position}", EventName = "TableTruncated")]
    public static partial void TableTruncated(this ILogger logger, string database, string table, long position);

    [LoggerMessage(5020, LogLevel.Warning, "Operator {Action} on database {Database} table {Table} key {Key}: {Outcome}", EventName = "OperatorAction")]
    public static partial void OperatorAction(this ILogger logger, string action, string database, string table, string? key, string outcome);

    [LoggerMessage(5030, LogLevel.Warning, "Exporter {Exporter} failed to publish {Count} synced events for database {Database}; they are not retried", EventName = "ExportFailed")]
    public static partial void ExportFailed(this ILogger logger, Exception exception, string exporter, int count, string database);

    [LoggerMessage(5031, LogLevel.Warning, "Acknowledging source {Source} up to position {Position} failed; it is retried at the next interval (the databases' checkpoints are unaffected)", EventName = "SourceAcknowledgeFailed")]
    public static partial void AcknowledgeFailed(this ILogger logger, Exception exception, string source, long position);

    [LoggerMessage(5040, LogLevel.Error, "Outbox relay from {Outbox} failed; it retries at its next interval", EventName = "RelayFailed")]
    public static partial void RelayFailed(this ILogger logger, Exception exception, string outbox);
}
