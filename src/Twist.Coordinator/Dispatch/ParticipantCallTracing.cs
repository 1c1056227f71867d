using System.Diagnostics;
using Grpc.Core;
using Twist.Coordinator.Diagnostics;

namespace Twist.Coordinator.Dispatch;

/// <summary>
/// The trace side of a participant call. The driver's <c>twist.participant confirm|cancel</c> CLIENT span is the call's
/// span: the coordinator's HttpClient handler has its own diagnostics switched off (no <c>ActivityHeadersPropagator</c>),
/// so HttpClient adds no second, nested CLIENT span per call (OpenTelemetry's conventions ask library client spans to
/// suppress those, as the Azure SDK does). The transports therefore write the span's HTTP or RPC attributes and
/// propagate its context themselves, which also keeps Confirm and Cancel in the caller's trace in a process that has
/// switched HttpClient's propagation off.
/// </summary>
internal static class ParticipantCallTracing
{
    /// <summary>Gets the driver's span for the call in progress, or <see langword="null"/> when nobody records it.</summary>
    public static Activity? CallSpan() =>
        Activity.Current is { Kind: ActivityKind.Client } span && ReferenceEquals(span.Source, CoordinatorInstruments.ActivitySource) ? span : null;

    /// <summary>Writes <c>traceparent</c>, <c>tracestate</c> and <c>baggage</c> of the current activity into the request.</summary>
    public static void Inject(HttpRequestMessage message) =>
        DistributedContextPropagator.Current.Inject(Activity.Current, message, static (carrier, name, value) => ((HttpRequestMessage)carrier!).Headers.TryAddWithoutValidation(name, value));

    /// <summary>Writes the same fields into gRPC metadata (their names are already lower case).</summary>
    public static void Inject(Metadata headers) =>
        DistributedContextPropagator.Current.Inject(Activity.Current, headers, static (carrier, name, value) => ((Metadata)carrier!).Add(name, value));
}
