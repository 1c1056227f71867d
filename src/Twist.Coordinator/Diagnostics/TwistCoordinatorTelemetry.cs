namespace Twist.Coordinator.Diagnostics;

/// <summary>Names the coordinator's telemetry, for OpenTelemetry registration (<c>AddSource</c>, <c>AddMeter</c>).</summary>
public static class TwistCoordinatorTelemetry
{
    /// <summary>The name of the coordinator's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "Twist.Coordinator";

    /// <summary>The span and metric attribute that carries the transaction id.</summary>
    public const string TransactionIdAttribute = "twist.transaction.id";

    /// <summary>The span and metric attribute that carries the participant number.</summary>
    public const string ParticipantIdAttribute = "twist.participant.id";

    /// <summary>The span and metric attribute that carries the phase (confirm or cancel).</summary>
    public const string PhaseAttribute = "twist.phase";

    /// <summary>The metric attribute that carries a transaction outcome (confirmed, cancelled, timeout, ...).</summary>
    public const string OutcomeAttribute = "twist.outcome";
}
