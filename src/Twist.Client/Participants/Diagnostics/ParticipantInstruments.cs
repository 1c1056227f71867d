using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Twist.Participants.Diagnostics;

/// <summary>The participant runtime's metrics, from the app's <see cref="IMeterFactory"/> so tests and hosts can isolate them.</summary>
internal sealed class ParticipantInstruments
{
    public const string Expired = "expired";

    private readonly Counter<long> outcomes;

    public ParticipantInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(new MeterOptions(TwistParticipantTelemetry.Name) { Version = ParticipantActivitySource.Version });
        outcomes = meter.CreateCounter<long>(
            TwistParticipantTelemetry.GuardOutcomesMetric,
            unit: "{decision}",
            description: "Decisions of the participant guard: applied phases, duplicates, null compensations, refused hanging Trys, expired reservations.");
    }

    public static string Name(TccGuardOutcome outcome) => outcome switch
    {
        TccGuardOutcome.Proceed => "applied",
        TccGuardOutcome.Duplicate => "duplicate",
        TccGuardOutcome.NullCompensation => "null_compensation",
        TccGuardOutcome.Hanging => "hanging_refused",
        TccGuardOutcome.TryIncomplete => "try_incomplete",
        TccGuardOutcome.NotTried => "not_tried",
        TccGuardOutcome.Conflict => "conflict",
        TccGuardOutcome.Superseded => "superseded",
        _ => "unknown",
    };

    public void RecordOutcome(string phase, TccGuardOutcome outcome) => Record(phase, Name(outcome));

    public void Record(string phase, string outcome)
    {
        if (outcomes.Enabled)
        {
            outcomes.Add(1, new TagList { { TwistParticipantTelemetry.PhaseAttribute, phase }, { TwistParticipantTelemetry.OutcomeAttribute, outcome } });
        }
    }
}
