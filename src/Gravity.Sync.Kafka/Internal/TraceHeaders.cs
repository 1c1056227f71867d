using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using Gravity.Sync.Events;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>W3C trace context and Gravity's text headers on Kafka messages, with plain <see cref="System.Diagnostics"/>.</summary>
internal static class TraceHeaders
{
    /// <summary>Starts a Producer span, as a child of <paramref name="parentTraceParent"/> when given or of the current span.</summary>
    public static Activity? StartSend(string topic, string? parentTraceParent, string? parentTraceState)
    {
        if (!KafkaInstruments.ActivitySource.HasListeners())
        {
            return null;
        }

        var parent = parentTraceParent is not null && ActivityContext.TryParse(parentTraceParent, parentTraceState, out var context) ? context : Activity.Current?.Context ?? default;
        var activity = KafkaInstruments.ActivitySource.StartActivity($"send {topic}", ActivityKind.Producer, parent);
        activity?.SetTag("messaging.system", "kafka").SetTag("messaging.destination.name", topic).SetTag("messaging.operation.type", "send");
        return activity;
    }

    /// <summary>Writes the span's context, or else the given context, as <c>traceparent</c>/<c>tracestate</c>.</summary>
    public static void Write(Headers headers, Activity? activity, string? traceParent, string? traceState)
    {
        if (activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id })
        {
            traceParent = id;
            traceState = activity.TraceStateString;
        }

        if (traceParent is not null)
        {
            Add(headers, GravityMessageHeaders.TraceParent, traceParent);
            if (!string.IsNullOrEmpty(traceState))
            {
                Add(headers, GravityMessageHeaders.TraceState, traceState);
            }
        }
    }

    public static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));

    public static string? Get(Headers? headers, string name) =>
        headers is not null && headers.TryGetLastBytes(name, out var bytes) && bytes is { Length: > 0 } ? Encoding.UTF8.GetString(bytes) : null;
}
