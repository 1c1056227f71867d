namespace Gravity.Sync.Diagnostics;

/// <summary>Names the synchronizer's telemetry, for OpenTelemetry registration (<c>AddSource</c>, <c>AddMeter</c>).</summary>
public static class GravitySyncTelemetry
{
    /// <summary>The name of the synchronizer's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "Gravity.Sync";

    /// <summary>The span and metric attribute that carries the target database name.</summary>
    public const string DatabaseAttribute = "gravity.database";

    /// <summary>The span and metric attribute that carries the view table.</summary>
    public const string TableAttribute = "gravity.table";

    /// <summary>The attribute naming the exporter on export metrics.</summary>
    public const string ExporterAttribute = "gravity.exporter";

    /// <summary>The metric attribute that carries the source (or source partition) a position belongs to.</summary>
    public const string SourceAttribute = "gravity.source";

    /// <summary>The span attribute that carries the key-hash partition.</summary>
    public const string PartitionAttribute = "gravity.partition";

    /// <summary>The span attribute that names the database or snapshot source a database is filled from.</summary>
    public const string SnapshotOriginAttribute = "gravity.snapshot.origin";

    /// <summary>The metric attribute that says why events were skipped or parked.</summary>
    public const string ReasonAttribute = "gravity.reason";
}
