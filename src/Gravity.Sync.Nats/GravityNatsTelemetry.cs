namespace Gravity.Sync.Nats;

/// <summary>Names the NATS package's telemetry, for OpenTelemetry registration (<c>AddSource</c>, <c>AddMeter</c>).</summary>
public static class GravityNatsTelemetry
{
    /// <summary>The name of the package's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "Gravity.Sync.Nats";
}
