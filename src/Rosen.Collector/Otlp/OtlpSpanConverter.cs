using OpenTelemetry.Proto.Collector.Trace.V1;
using Rosen.Collector.Storage;
using static Rosen.Collector.Otlp.OtlpValues;
using OtlpSpan = OpenTelemetry.Proto.Trace.V1.Span;
using OtlpStatus = OpenTelemetry.Proto.Trace.V1.Status;

namespace Rosen.Collector.Otlp;

/// <summary>
/// Turns an OTLP export request into <see cref="CollectedSpan"/>s. A span with an invalid trace or span id is
/// rejected alone (OTLP partial success); the rest of the request is kept.
/// </summary>
internal static class OtlpSpanConverter
{
    private const int MaxAttributesPerSpan = 256;
    private const int MaxEventsPerSpan = 128;
    private const int MaxLinksPerSpan = 128;

    public static OtlpConversion<CollectedSpan> Convert(ExportTraceServiceRequest request, int maxValueLength)
    {
        var accepted = new List<CollectedSpan>();
        var rejected = 0;
        string? firstError = null;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var (serviceName, instance) = ServiceOf(resourceSpans.Resource);
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = ScopeNameOf(scopeSpans.Scope);
                foreach (var span in scopeSpans.Spans)
                {
                    if (Validate(span) is { } error)
                    {
                        rejected++;
                        firstError ??= error;
                        continue;
                    }

                    accepted.Add(ToCollected(span, serviceName, instance, scope, maxValueLength));
                }
            }
        }

        return new OtlpConversion<CollectedSpan>(accepted, rejected, firstError);
    }

    private static string? Validate(OtlpSpan span)
    {
        if (!IsValidId(span.TraceId, 16))
        {
            return $"a span has trace_id of {span.TraceId.Length} bytes; OTLP needs 16 bytes, not all zero.";
        }

        if (!IsValidId(span.SpanId, 8))
        {
            return $"a span has span_id of {span.SpanId.Length} bytes; OTLP needs 8 bytes, not all zero.";
        }

        if (span.ParentSpanId.Length != 0 && span.ParentSpanId.Length != 8)
        {
            return $"a span has parent_span_id of {span.ParentSpanId.Length} bytes; OTLP needs 8 bytes or none.";
        }

        return null;
    }

    private static CollectedSpan ToCollected(OtlpSpan span, string serviceName, string? instance, string? scope, int maxValueLength) => new()
    {
        TraceId = System.Convert.ToHexStringLower(span.TraceId.Span),
        SpanId = System.Convert.ToHexStringLower(span.SpanId.Span),
        ParentSpanId = span.ParentSpanId.Length == 0 || !span.ParentSpanId.Span.ContainsAnyExcept((byte)0) ? null : System.Convert.ToHexStringLower(span.ParentSpanId.Span),
        Name = span.Name.Length == 0 ? "(unnamed)" : Cut(span.Name, MaxNameLength),
        Kind = span.Kind is >= OtlpSpan.Types.SpanKind.Internal and <= OtlpSpan.Types.SpanKind.Consumer ? (CollectedSpanKind)(int)span.Kind : CollectedSpanKind.Internal,
        ServiceName = serviceName,
        ServiceInstanceId = instance,
        ScopeName = scope,
        StartUnixNano = ToNano(span.StartTimeUnixNano),
        EndUnixNano = ToNano(span.EndTimeUnixNano),
        Status = span.Status?.Code switch
        {
            OtlpStatus.Types.StatusCode.Ok => CollectedSpanStatus.Ok,
            OtlpStatus.Types.StatusCode.Error => CollectedSpanStatus.Error,
            _ => CollectedSpanStatus.Unset,
        },
        StatusMessage = span.Status?.Message is { Length: > 0 } message ? Cut(message, maxValueLength) : null,
        Attributes = ToDictionary(span.Attributes, MaxAttributesPerSpan, maxValueLength),
        Events = span.Events.Take(MaxEventsPerSpan)
            .Select(e => new CollectedSpanEvent(ToNano(e.TimeUnixNano), Cut(e.Name, MaxNameLength), ToDictionary(e.Attributes, 32, maxValueLength)))
            .ToList(),
        Links = span.Links.Where(l => IsValidId(l.TraceId, 16) && IsValidId(l.SpanId, 8)).Take(MaxLinksPerSpan)
            .Select(l => new CollectedSpanLink(System.Convert.ToHexStringLower(l.TraceId.Span), System.Convert.ToHexStringLower(l.SpanId.Span)))
            .ToList(),
    };
}
