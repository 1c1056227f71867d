namespace Rosen.Collector;

/// <summary>Names the collector's own telemetry and the span attributes it indexes.</summary>
public static class RosenCollectorTelemetry
{
    /// <summary>The name of the collector's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "Rosen.Collector";

    /// <summary>The span attribute that carries the Twist transaction id (indexed).</summary>
    public const string TransactionIdAttribute = "twist.transaction.id";

    /// <summary>The span attribute that carries the Gravity event id (indexed).</summary>
    public const string EventIdAttribute = "gravity.event.id";
}
