using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Diagnostics;

/// <summary>Logs of the synced-event exporters' queue. Event id 5030 and 5500-5509 are stable: alerts and dashboards may key on them.</summary>
internal static partial class ExportLog
{
    [LoggerMessage(5030, LogLevel.Warning, "Exporter {Exporter} failed to publish {Count} synced events of database {Database} (attempt {Attempt}); they stay queued in the database and are retried in {Delay}", EventName = "ExportFailed")]
    public static partial void ExportFailed(this ILogger logger, Exception exception, string exporter, int count, string database, int attempt, TimeSpan delay);

    [LoggerMessage(5500, LogLevel.Information, "Exporter {Exporter} published {Count} synced events of database {Database} after {Attempts} attempts", EventName = "ExportRecovered")]
    public static partial void ExportRecovered(this ILogger logger, string exporter, int count, string database, int attempts);

    [LoggerMessage(5501, LogLevel.Warning, "Reading or clearing the synced events queued for exporter {Exporter} in database {Database} failed; retrying in {Delay}", EventName = "ExportQueueFailed")]
    public static partial void ExportQueueFailed(this ILogger logger, Exception exception, string exporter, string database, TimeSpan delay);

    [LoggerMessage(5502, LogLevel.Warning, "Exporter {Exporter} had not published every synced event of database {Database} when the synchronizer stopped; they stay queued and are published after the next start", EventName = "ExportsLeftQueued")]
    public static partial void ExportsLeftQueued(this ILogger logger, string exporter, string database);

    [LoggerMessage(5503, LogLevel.Information, "Exporter {Exporter} publishes synced events of database {Database} queued before this start (at least {Count})", EventName = "ExportsResumed")]
    public static partial void ExportsResumed(this ILogger logger, string exporter, string database, int count);
}
