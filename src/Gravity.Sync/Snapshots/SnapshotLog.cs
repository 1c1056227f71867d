using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Snapshots;

/// <summary>Structured logs of snapshot loads. Event ids 5400-5449 are stable: alerts and dashboards may key on them.</summary>
internal static partial class SnapshotLog
{
    [LoggerMessage(5400, LogLevel.Information, "Database {Database} is filled from a snapshot of {From} ({Reason}); its tables are incomplete until the load ends", EventName = "SnapshotLoadStarting")]
    public static partial void SnapshotLoadStarting(this ILogger logger, string database, string from, string reason);

    [LoggerMessage(5401, LogLevel.Information, "Database {Database} table {Table}: {Rows} rows loaded from {From}", EventName = "SnapshotTableLoaded")]
    public static partial void SnapshotTableLoaded(this ILogger logger, string database, string table, long rows, string from);

    [LoggerMessage(5402, LogLevel.Information, "Database {Database} loaded {Rows} rows from a snapshot of {From} in {Duration} and resumes the live stream at {Positions}", EventName = "SnapshotLoaded")]
    public static partial void SnapshotLoaded(this ILogger logger, string database, long rows, string from, TimeSpan duration, string positions);

    [LoggerMessage(5403, LogLevel.Warning, "Database {Database} was being filled from a snapshot of {From} (started {StartedAt}, {Rows} rows loaded) when it stopped; its tables are incomplete, so the load starts again", EventName = "SnapshotLoadInterrupted")]
    public static partial void SnapshotLoadInterrupted(this ILogger logger, string database, string from, DateTimeOffset startedAt, long rows);

    [LoggerMessage(5404, LogLevel.Warning, "Operator reset of database {Database} from a snapshot of {From}: its pipelines pause while it is emptied and loaded again", EventName = "SnapshotResetRequested")]
    public static partial void SnapshotResetRequested(this ILogger logger, string database, string from);

    [LoggerMessage(5405, LogLevel.Warning, "Database {Database}: the snapshot load from {From} failed after {Rows} rows; the database stays marked as loading and is loaded again when its pipelines resume", EventName = "SnapshotLoadFailed")]
    public static partial void SnapshotLoadFailed(this ILogger logger, Exception exception, string database, string from, long rows);

    [LoggerMessage(5406, LogLevel.Information, "Database {Database} is being filled from a snapshot by another synchronizer instance; this one waits until that load ends", EventName = "SnapshotLoadWaiting")]
    public static partial void SnapshotLoadWaiting(this ILogger logger, string database);

    [LoggerMessage(5407, LogLevel.Information, "Database {Database} was filled from a snapshot by another synchronizer instance; this one follows the live stream from the checkpoints that load wrote", EventName = "SnapshotLoadedElsewhere")]
    public static partial void SnapshotLoadedElsewhere(this ILogger logger, string database);
}
