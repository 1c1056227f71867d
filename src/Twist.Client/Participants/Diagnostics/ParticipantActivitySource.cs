using System.Diagnostics;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace Twist.Participants.Diagnostics;

/// <summary>Holds the participant runtime's one <see cref="ActivitySource"/>, created with the assembly version.</summary>
internal static class ParticipantActivitySource
{
    public static readonly string? Version =
        typeof(ParticipantActivitySource).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    public static readonly ActivitySource Instance = new(TwistParticipantTelemetry.Name, Version);

    /// <summary>Starts the span of one phase (low-cardinality name, ids as attributes); <see langword="null"/> when no one listens.</summary>
    public static Activity? Start(string phase, string participant, string? tid) => Start(phase, participant, tid, request: null);

    /// <summary>
    /// Starts the span of one phase served over HTTP or gRPC. Behind ASP.NET Core's own request activity it is that
    /// activity's child. Without one (nobody listens to ASP.NET Core's spans and no logging asks for them, the cheap
    /// way to trace) it continues the caller's trace itself from the request's <c>traceparent</c>, as the server
    /// span, so the business spans still join one trace across services.
    /// </summary>
    public static Activity? Start(string phase, string participant, string? tid, HttpRequest? request)
    {
        var parent = default(ActivityContext);
        var kind = ActivityKind.Internal;
        if (request is not null && Activity.Current is null && Instance.HasListeners())
        {
            DistributedContextPropagator.Current.ExtractTraceIdAndState(request.Headers, ReadHeader, out var traceParent, out var traceState);
            if (ActivityContext.TryParse(traceParent, traceState, isRemote: true, out parent))
            {
                kind = ActivityKind.Server;
            }
        }

        var activity = Instance.StartActivity("twist.participant." + phase, kind, parent);
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

    private static void ReadHeader(object? carrier, string name, out string? value, out IEnumerable<string>? values)
    {
        values = null;
        value = carrier is IHeaderDictionary headers && headers.TryGetValue(name, out var found) ? found.ToString() : null;
    }
}
