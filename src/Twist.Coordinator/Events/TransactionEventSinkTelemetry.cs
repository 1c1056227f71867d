using System.Diagnostics;
using System.Diagnostics.Metrics;
using Twist.Coordinator.Diagnostics;

namespace Twist.Coordinator.Events;

/// <summary>
/// Producer spans and messaging metrics for an <see cref="ITransactionEventSink"/> that sends events to a broker,
/// following the OpenTelemetry messaging conventions, on the coordinator's <see cref="ActivitySource"/> and
/// <see cref="Meter"/> (<see cref="TwistCoordinatorTelemetry.Name"/>). Registered by <c>AddTwistCoordinator</c>; take it
/// from the service provider.
/// </summary>
/// <remarks>
/// The producer span is a child of the coordinator span the step happened in (<see cref="TransactionEvent.TraceParent"/>),
/// so a consumer that continues the headers' trace context joins the transaction's trace. Metrics:
/// <c>messaging.client.sent.messages</c> and <c>messaging.client.operation.duration</c> (seconds), by
/// <c>messaging.system</c>, <c>messaging.destination.name</c> (the template for per-transaction subjects) and
/// <c>error.type</c>.
/// </remarks>
public sealed class TransactionEventSinkTelemetry
{
    private readonly Counter<long> sent;
    private readonly Histogram<double> duration;

    /// <summary>Creates the instruments on the coordinator's meter.</summary>
    /// <param name="meterFactory">The host's meter factory.</param>
    /// <exception cref="ArgumentNullException"><paramref name="meterFactory"/> is null.</exception>
    public TransactionEventSinkTelemetry(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(new MeterOptions(TwistCoordinatorTelemetry.Name) { Version = typeof(TransactionEventSinkTelemetry).Assembly.GetName().Version?.ToString() });
        sent = meter.CreateCounter<long>("messaging.client.sent.messages", "{message}", "Transaction event messages a broker accepted or refused (error.type), by system and destination.");
        duration = meter.CreateHistogram<double>(
            "messaging.client.operation.duration",
            "s",
            "Duration of sending one transaction event message, until the broker acknowledged it (or the client wrote it, for fire-and-forget sends).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] });
    }

    /// <summary>
    /// Starts sending one event: a Producer span <c>send &lt;destination template&gt;</c> and a timer; the returned
    /// <see cref="TransactionEventSend"/> also gives the headers to write.
    /// </summary>
    /// <param name="transactionEvent">The event.</param>
    /// <param name="system">The <c>messaging.system</c>, e.g. <c>kafka</c> or <c>nats</c>.</param>
    /// <param name="destination">The topic or subject the event goes to.</param>
    /// <param name="destinationTemplate">
    /// The destination with the transaction id left out (e.g. <c>twist.transaction.{transactionId}.eventEmitted</c>) when
    /// <paramref name="destination"/> contains it; used for the span name and metrics. <see langword="null"/> when the
    /// destination is the same for every transaction.
    /// </param>
    /// <returns>The send; call <see cref="TransactionEventSend.Succeeded"/> or <see cref="TransactionEventSend.Failed"/>, then dispose it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="transactionEvent"/>, <paramref name="system"/> or <paramref name="destination"/> is null.</exception>
    public TransactionEventSend StartSend(TransactionEvent transactionEvent, string system, string destination, string? destinationTemplate = null)
    {
        ArgumentNullException.ThrowIfNull(transactionEvent);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(destination);
        var name = destinationTemplate ?? destination;
        var parent = transactionEvent.TraceParent is { } traceParent && ActivityContext.TryParse(traceParent, transactionEvent.TraceState, out var context) ? context : default;
        var activity = CoordinatorInstruments.ActivitySource.HasListeners()
            ? CoordinatorInstruments.ActivitySource.StartActivity($"send {name}", ActivityKind.Producer, parent)
            : null;
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", system)
                .SetTag("messaging.operation.type", "send")
                .SetTag("messaging.operation.name", "send")
                .SetTag("messaging.destination.name", destination)
                .SetTag("messaging.destination.template", destinationTemplate)
                .SetTag("messaging.message.id", transactionEvent.EventId)
                .SetTag(TwistCoordinatorTelemetry.TransactionIdAttribute, transactionEvent.TransactionId)
                .SetTag(TransactionEventInstruments.KindAttribute, transactionEvent.Kind.ToString());
        }

        return new TransactionEventSend(this, transactionEvent, activity, system, name);
    }

    internal void Record(string system, string destination, TimeSpan elapsed, string? errorType)
    {
        var tags = new TagList
        {
            { "messaging.system", system },
            { "messaging.operation.name", "send" },
            { "messaging.destination.name", destination },
        };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        sent.Add(1, tags);
        duration.Record(elapsed.TotalSeconds, tags);
    }
}
