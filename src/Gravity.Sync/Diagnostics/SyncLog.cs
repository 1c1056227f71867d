using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Diagnostics;

/// <summary>The synchronizer's structured logs. Event ids 5000-5099 and 5300-5319 (partition hand-over) are stable: alerts and dashboards may key on them.</summary>
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

    [LoggerMessage(5031, LogLevel.Warning, "Acknowledging source {Source} up to position {Position} failed; it is retried at the next interval (the databases' checkpoints are unaffected)", EventName = "SourceAcknowledgeFailed")]
    public static partial void AcknowledgeFailed(this ILogger logger, Exception exception, string source, long position);

    [LoggerMessage(5300, LogLevel.Information, "Partitions {Partitions} assigned to this instance; they resume from the databases' checkpoints ({Lanes} partitions read here now)", EventName = "PartitionsAssigned")]
    public static partial void PartitionsAssigned(this ILogger logger, string partitions, int lanes);

    [LoggerMessage(5301, LogLevel.Information, "Partitions {Partitions} handed over in {Elapsed}: their batches are committed and acknowledged", EventName = "PartitionsHandedOver")]
    public static partial void PartitionsHandedOver(this ILogger logger, string partitions, TimeSpan elapsed);

    [LoggerMessage(5302, LogLevel.Warning, "Partitions {Partitions} did not commit their in-flight batches within {Timeout} (Gravity:Sync:HandOverTimeout); those batches were rolled back and the next owner reads them again", EventName = "HandOverTimedOut")]
    public static partial void HandOverTimedOut(this ILogger logger, string partitions, TimeSpan timeout);

    [LoggerMessage(5303, LogLevel.Warning, "Partitions {Partitions} were lost (another instance may already read them): in-flight batches dropped, nothing acknowledged", EventName = "PartitionsLost")]
    public static partial void PartitionsLost(this ILogger logger, string partitions);

    [LoggerMessage(5304, LogLevel.Warning, "Leaving the shared source {Source} failed; the remaining partitions are stopped here and the source reassigns them when this instance's session or claims expire", EventName = "SharedSourceStopFailed")]
    public static partial void SharedSourceStopFailed(this ILogger logger, Exception exception, string source);

    [LoggerMessage(5040, LogLevel.Error, "Outbox relay from {Outbox} failed; it retries at its next interval", EventName = "RelayFailed")]
    public static partial void RelayFailed(this ILogger logger, Exception exception, string outbox);
}
