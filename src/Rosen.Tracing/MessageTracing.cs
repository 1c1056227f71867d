using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Context.Propagation;

namespace Rosen.Tracing;

/// <summary>
/// Carries W3C trace context and baggage through message headers (NATS, Kafka, or any string map) and starts
/// producer and consumer spans that follow the OpenTelemetry messaging conventions: a send is a Producer span whose
/// context travels in the headers; a receive is a Consumer span that continues it; a batch is one span linked to
/// every message's context.
/// </summary>
public static class MessageTracing
{
    private static readonly ActivitySource Source = new(RosenTelemetry.Name, typeof(MessageTracing).Assembly.GetName().Version?.ToString());

    /// <summary>Writes the current trace context and baggage into message headers.</summary>
    /// <typeparam name="THeaders">The header collection type.</typeparam>
    /// <param name="headers">The headers to write to.</param>
    /// <param name="set">Sets one header.</param>
    /// <param name="activity">The span whose context to send; defaults to <see cref="Activity.Current"/>.</param>
    public static void Inject<THeaders>(THeaders headers, Action<THeaders, string, string> set, Activity? activity = null)
    {
        ArgumentNullException.ThrowIfNull(set);
        activity ??= Activity.Current;
        if (activity is null)
        {
            return;
        }

        Propagators.DefaultTextMapPropagator.Inject(new PropagationContext(activity.Context, Baggage.Current), headers, set);
    }

    /// <summary>Reads trace context and baggage from message headers.</summary>
    /// <typeparam name="THeaders">The header collection type.</typeparam>
    /// <param name="headers">The headers to read.</param>
    /// <param name="get">Gets the values of one header.</param>
    /// <returns>The propagated context; default when the headers carry none.</returns>
    public static PropagationContext Extract<THeaders>(THeaders headers, Func<THeaders, string, IEnumerable<string>?> get)
    {
        ArgumentNullException.ThrowIfNull(get);
        return Propagators.DefaultTextMapPropagator.Extract(default, headers, (h, k) => get(h, k) ?? []);
    }

    /// <summary>Starts a Producer span for sending a message, tagged per the messaging conventions.</summary>
    /// <param name="system">The messaging system, e.g. <c>nats</c> or <c>kafka</c>.</param>
    /// <param name="destination">The subject or topic.</param>
    /// <returns>The span, or null when nobody listens.</returns>
    public static Activity? StartSend(string system, string destination)
    {
        var activity = Source.StartActivity($"send {destination}", ActivityKind.Producer);
        activity?.SetTag("messaging.system", system).SetTag("messaging.destination.name", destination).SetTag("messaging.operation.type", "send");
        return activity;
    }

    /// <summary>Starts a Consumer span that continues the context a message carried.</summary>
    /// <param name="system">The messaging system.</param>
    /// <param name="destination">The subject or topic.</param>
    /// <param name="propagated">The context from <see cref="Extract{THeaders}"/>.</param>
    /// <returns>The span, or null when nobody listens.</returns>
    public static Activity? StartProcess(string system, string destination, PropagationContext propagated)
    {
        Baggage.Current = propagated.Baggage;
        var activity = Source.StartActivity($"process {destination}", ActivityKind.Consumer, propagated.ActivityContext);
        activity?.SetTag("messaging.system", system).SetTag("messaging.destination.name", destination).SetTag("messaging.operation.type", "process");
        return activity;
    }

    /// <summary>Starts one Consumer span for a batch, linked to the context of every message in it.</summary>
    /// <param name="system">The messaging system.</param>
    /// <param name="destination">The subject or topic.</param>
    /// <param name="messages">The contexts the messages carried.</param>
    /// <returns>The span, or null when nobody listens.</returns>
    public static Activity? StartProcessBatch(string system, string destination, IEnumerable<PropagationContext> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var links = messages.Where(m => m.ActivityContext != default).Select(m => new ActivityLink(m.ActivityContext)).ToArray();
        var activity = Source.StartActivity($"process {destination}", ActivityKind.Consumer, parentContext: default, links: links);
        activity?.SetTag("messaging.system", system).SetTag("messaging.destination.name", destination)
            .SetTag("messaging.operation.type", "process").SetTag("messaging.batch.message_count", links.Length);
        return activity;
    }
}
