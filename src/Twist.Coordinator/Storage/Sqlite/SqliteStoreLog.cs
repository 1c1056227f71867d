using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.Storage.Sqlite;

/// <summary>The SQLite store's structured logs. Event ids 1100-1119 are stable: alerts may key on them.</summary>
internal static partial class SqliteStoreLog
{
    [LoggerMessage(1100, LogLevel.Information, "SQLite transaction store {Path} upgraded from schema version {FromVersion} to {ToVersion}", EventName = "SqliteSchemaUpgraded")]
    public static partial void SchemaUpgraded(this ILogger logger, string path, long fromVersion, int toVersion);

    [LoggerMessage(1101, LogLevel.Warning, "SQLite transaction store {Path} runs in journal mode {JournalMode}, not WAL; reads will block behind writes", EventName = "SqliteNotWal")]
    public static partial void NotWal(this ILogger logger, string path, string? journalMode);

    [LoggerMessage(1102, LogLevel.Error, "SQLite transaction store failed to commit a batch of {OperationCount} writes; all of them were failed", EventName = "SqliteBatchFailed")]
    public static partial void BatchFailed(this ILogger logger, Exception exception, int operationCount);

    [LoggerMessage(1103, LogLevel.Warning, "SQLite transaction store took {Elapsed} to commit a batch of {OperationCount} writes", EventName = "SqliteSlowCommit")]
    public static partial void SlowCommit(this ILogger logger, TimeSpan elapsed, int operationCount);

    [LoggerMessage(1104, LogLevel.Error, "SQLite transaction store write loop failed unexpectedly", EventName = "SqliteWriteLoopFailed")]
    public static partial void WriteLoopFailed(this ILogger logger, Exception exception);

    [LoggerMessage(1105, LogLevel.Warning, "SQLite transaction store could not checkpoint its write-ahead log on shutdown", EventName = "SqliteCheckpointFailed")]
    public static partial void CheckpointFailed(this ILogger logger, Exception exception);
}
