namespace Gravity.Sync.Kafka;

/// <summary>Names the Kafka package's telemetry, for OpenTelemetry registration (<c>AddSource</c>, <c>AddMeter</c>).</summary>
public static class GravityKafkaTelemetry
{
    /// <summary>The name of the package's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "Gravity.Sync.Kafka";
}
