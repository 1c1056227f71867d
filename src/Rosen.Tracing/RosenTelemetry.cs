namespace Rosen.Tracing;

/// <summary>
/// Names the telemetry of the Twist and Gravity components. Twist and Gravity emit with System.Diagnostics only and
/// do not depend on Rosen; these names are how Rosen finds them.
/// </summary>
public static class RosenTelemetry
{
    /// <summary>The ActivitySource and Meter of this package (message spans it starts).</summary>
    public const string Name = "Rosen.Tracing";

    /// <summary>The baggage entry and span attribute that carries the Twist transaction id across services.</summary>
    public const string TransactionIdKey = "twist.transaction.id";

    /// <summary>The baggage entry and span attribute that carries the Gravity event id across services.</summary>
    public const string EventIdKey = "gravity.event.id";

    /// <summary>Gets the ActivitySource names of every Twist, Gravity and Rosen component.</summary>
    public static IReadOnlyList<string> ActivitySourceNames { get; } =
        ["Twist.Coordinator", "Twist.Client", "Twist.Participant", "Gravity.Sync", "Gravity.Sync.Nats", "Gravity.Sync.Kafka", Name];

    /// <summary>Gets the Meter names of every Twist, Gravity and Rosen component.</summary>
    public static IReadOnlyList<string> MeterNames { get; } =
        ["Twist.Coordinator", "Twist.Client", "Twist.Participant", "Gravity.Sync", "Gravity.Sync.Nats", "Gravity.Sync.Kafka", Name];
}
