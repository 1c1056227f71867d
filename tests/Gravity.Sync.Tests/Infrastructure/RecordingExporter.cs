using System.Collections.Concurrent;
using Gravity.Sync.Exporters;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Tests.Infrastructure;

/// <summary>An exporter of type <c>memory</c> that records what it is given.</summary>
public sealed class RecordingExporter : IGravityExporter
{
    public ConcurrentQueue<(string Exporter, SyncedEvent Event)> Published { get; } = new();

    public string Type => "memory";

    public Task ExportAsync(ExporterDefinition exporter, IReadOnlyList<SyncedEvent> events, CancellationToken cancellationToken)
    {
        foreach (var e in events)
        {
            Published.Enqueue((exporter.Name, e));
        }

        return Task.CompletedTask;
    }
}
