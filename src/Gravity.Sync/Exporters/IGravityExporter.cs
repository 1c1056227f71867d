using Gravity.Sync.Rules;

namespace Gravity.Sync.Exporters;

/// <summary>
/// Publishes "synced" events for one exporter type (seed: "同步完成觸發事件", an event thrown after the sync completes).
/// The synchronizer calls it after the rows are committed; exporter packages (NATS, Kafka) implement it.
/// </summary>
public interface IGravityExporter
{
    /// <summary>Gets the exporter type this implementation serves, as written in exporter.json (<c>kafka</c>, <c>nats</c>, ...).</summary>
    string Type { get; }

    /// <summary>Publishes synced events.</summary>
    /// <param name="exporter">The exporter's settings from exporter.json.</param>
    /// <param name="events">The events applied in one committed batch, in source order.</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    /// <returns>A task that completes when the events are published.</returns>
    Task ExportAsync(ExporterDefinition exporter, IReadOnlyList<SyncedEvent> events, CancellationToken cancellationToken);
}
