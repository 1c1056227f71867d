using System.Diagnostics;
using System.Reflection;

namespace Twist.Participants.Diagnostics;

/// <summary>Holds the participant runtime's one <see cref="ActivitySource"/>, created with the assembly version.</summary>
internal static class ParticipantActivitySource
{
    public static readonly string? Version =
        typeof(ParticipantActivitySource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static readonly ActivitySource Instance = new(TwistParticipantTelemetry.Name, Version);

    /// <summary>Starts the span of one phase (low-cardinality name, ids as attributes); <see langword="null"/> when no one listens.</summary>
    public static Activity? Start(string phase, string participant, string? tid)
    {
        var activity = Instance.StartActivity("twist.participant." + phase, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(TwistParticipantTelemetry.ParticipantAttribute, participant);
            activity.SetTag(TwistParticipantTelemetry.PhaseAttribute, phase);
            if (tid is not null)
            {
                activity.SetTag(TwistParticipantTelemetry.TransactionIdAttribute, tid);
            }
        }

        return activity;
    }

    public static void Outcome(Activity? activity, TccGuardOutcome outcome) =>
        activity?.SetTag(TwistParticipantTelemetry.OutcomeAttribute, ParticipantInstruments.Name(outcome));

    /// <summary>Marks a span failed; instrumentation never throws into user code.</summary>
    public static void Fail(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        activity.AddException(exception);
    }
}
