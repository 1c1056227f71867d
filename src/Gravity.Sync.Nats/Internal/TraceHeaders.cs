using System.Diagnostics;
using Gravity.Sync.Events;
using NATS.Client.Core;

namespace Gravity.Sync.Nats.Internal;

/// <summary>W3C trace context in NATS headers, with plain <see cref="System.Diagnostics"/> (no OpenTelemetry SDK dependency).</summary>
internal static class TraceHeaders
{
    /// <summary>
    /// Starts a Producer span for a message, as a child of <paramref name="parentTraceParent"/> when given (a synced
    /// event continues the original event's trace) or of the current span.
    /// </summary>
    public static Activity? StartSend(string subject, string? parentTraceParent, string? parentTraceState)
    {
        if (!NatsInstruments.ActivitySource.HasListeners())
        {
            return null;
        }

        var parent = parentTraceParent is not null && ActivityContext.TryParse(parentTraceParent, parentTraceState, out var context) ? context : Activity.Current?.Context ?? default;
        var activity = NatsInstruments.ActivitySource.StartActivity($"send {subject}", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "nats").SetTag("messaging.destination.name", subject).SetTag("messaging.operation.type", "send");
        return activity;
    }

    /// <summary>Writes the span's context, or else the given context, as <c>traceparent</c>/<c>tracestate</c>.</summary>
    public static void Write(NatsHeaders headers, Activity? activity, string? traceParent, string? traceState)
    {
        if (activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            traceParent = id;
            traceState = activity.TraceStateString;
        }

        if (traceParent is not null)
        {
            headers[GravityMessageHeaders.TraceParent] = traceParent;
            if (!string.IsNullOrEmpty(traceState))
            {
                headers[GravityMessageHeaders.TraceState] = traceState;
            }
        }
    }
}
