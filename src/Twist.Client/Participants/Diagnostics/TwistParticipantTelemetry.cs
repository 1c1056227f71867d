namespace Twist.Participants;

/// <summary>Names the participant runtime's telemetry, for OpenTelemetry registration (<c>AddSource</c>, <c>AddMeter</c>).</summary>
public static class TwistParticipantTelemetry
{
    /// <summary>The name of the participant runtime's <see cref="System.Diagnostics.ActivitySource"/> and <see cref="System.Diagnostics.Metrics.Meter"/>.</summary>
    public const string Name = "Twist.Participant";

    /// <summary>The span attribute that carries the transaction id.</summary>
    public const string TransactionIdAttribute = "twist.transaction.id";

    /// <summary>The span and metric attribute that carries the participant's name.</summary>
    public const string ParticipantAttribute = "twist.participant.name";

    /// <summary>The span and metric attribute that carries the phase: <c>try</c>, <c>confirm</c> or <c>cancel</c>.</summary>
    public const string PhaseAttribute = "twist.phase";

    /// <summary>
    /// The span and metric attribute that carries the guard's decision: <c>applied</c>, <c>duplicate</c>,
    /// <c>null_compensation</c>, <c>hanging_refused</c>, <c>try_incomplete</c>, <c>not_tried</c>, <c>conflict</c> or
    /// <c>expired</c> (a reservation the sweeper cancelled).
    /// </summary>
    public const string OutcomeAttribute = "twist.guard.outcome";

    /// <summary>The counter of guard decisions, tagged with <see cref="PhaseAttribute"/> and <see cref="OutcomeAttribute"/>.</summary>
    public const string GuardOutcomesMetric = "twist.participant.guard.outcomes";
}
