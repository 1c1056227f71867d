using System.Diagnostics;

namespace Twist.Coordinator.Events;

/// <summary>
/// One event being sent to a broker (from <see cref="TransactionEventSinkTelemetry.StartSend"/>): its Producer span, the
/// headers to put on the message, and the outcome that ends the span and is counted.
/// </summary>
public sealed class TransactionEventSend : IDisposable
{
    private readonly TransactionEventSinkTelemetry telemetry;
    private readonly string system;
    private readonly string destination;
    private readonly long started = Stopwatch.GetTimestamp();
    private bool recorded;

    internal TransactionEventSend(TransactionEventSinkTelemetry telemetry, TransactionEvent transactionEvent, Activity? activity, string system, string destination)
    {
        this.telemetry = telemetry;
        this.system = system;
        this.destination = destination;
        Activity = activity;
        Headers = CreateHeaders(transactionEvent, activity);
    }

    /// <summary>Gets the Producer span, or <see langword="null"/> when nobody listens (or the trace is not sampled).</summary>
    public Activity? Activity { get; }

    /// <summary>
    /// Gets the headers to write on the message: <c>traceparent</c>/<c>tracestate</c> of the Producer span (else of the
    /// coordinator span the step happened in), <c>baggage</c>, <see cref="TransactionEventHeaders.TransactionId"/>,
    /// <see cref="TransactionEventHeaders.Event"/> and <see cref="TransactionEventHeaders.EventId"/>.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>Records that the broker accepted the event.</summary>
    public void Succeeded() => Record(null);

    /// <summary>Records that sending failed: the span gets error status and the exception, the metrics an <c>error.type</c>.</summary>
    /// <param name="exception">Why it failed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is null.</exception>
    public void Failed(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (Activity is { } activity && !recorded)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.Message).SetTag("error.type", exception.GetType().FullName);
            activity.AddException(exception);
        }

        Record(exception.GetType().FullName);
    }

    /// <summary>Ends the span; a send with no outcome recorded counts as failed (<c>error.type</c> <c>_OTHER</c>).</summary>
    public void Dispose()
    {
        if (!recorded)
        {
            Activity?.SetStatus(ActivityStatusCode.Error, "the send ended without an outcome").SetTag("error.type", "_OTHER");
            Record("_OTHER");
        }

        Activity?.Dispose();
    }

    private static List<KeyValuePair<string, string>> CreateHeaders(TransactionEvent transactionEvent, Activity? activity)
    {
        var (traceParent, traceState) = activity is { IdFormat: ActivityIdFormat.W3C, Id: { } id }
            ? (id, activity.TraceStateString)
            : (transactionEvent.TraceParent, transactionEvent.TraceState);
        var headers = new List<KeyValuePair<string, string>>(6);
        if (traceParent is not null)
        {
            headers.Add(new(TransactionEventHeaders.TraceParent, traceParent));
            if (!string.IsNullOrEmpty(traceState))
            {
                headers.Add(new(TransactionEventHeaders.TraceState, traceState));
            }
        }

        if (!string.IsNullOrEmpty(transactionEvent.Baggage))
        {
            headers.Add(new(TransactionEventHeaders.Baggage, transactionEvent.Baggage));
        }

        headers.Add(new(TransactionEventHeaders.TransactionId, transactionEvent.TransactionId));
        headers.Add(new(TransactionEventHeaders.Event, transactionEvent.Kind.ToString()));
        headers.Add(new(TransactionEventHeaders.EventId, transactionEvent.EventId));
        return headers;
    }

    private void Record(string? errorType)
    {
        if (!recorded)
        {
            recorded = true;
            telemetry.Record(system, destination, Stopwatch.GetElapsedTime(started), errorType);
        }
    }
}
