using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Common.V1;
using Rosen.Collector.Storage;
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
    private const int MaxNameLength = 512;

    public static OtlpConversion Convert(ExportTraceServiceRequest request, int maxValueLength)
    {
        var accepted = new List<CollectedSpan>();
        var rejected = 0;
        string? firstError = null;
        foreach (var resourceSpans in request.ResourceSpans)
        {
            var resource = resourceSpans.Resource?.Attributes;
            var serviceName = Find(resource, "service.name") is { Length: > 0 } name ? Cut(name, MaxNameLength) : "unknown_service";
            var instance = Find(resource, "service.instance.id") is { Length: > 0 } id ? Cut(id, MaxNameLength) : null;
            foreach (var scopeSpans in resourceSpans.ScopeSpans)
            {
                var scope = scopeSpans.Scope?.Name is { Length: > 0 } scopeName ? Cut(scopeName, MaxNameLength) : null;
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

        return new OtlpConversion(accepted, rejected, firstError);
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

    private static bool IsValidId(ByteString id, int length) => id.Length == length && id.Span.ContainsAnyExcept((byte)0);

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

    // Nanoseconds past long.MaxValue (year 2262) are clamped rather than wrapped into the past.
    private static long ToNano(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    private static string? Find(IEnumerable<KeyValue>? attributes, string key) =>
        attributes?.FirstOrDefault(a => a.Key == key)?.Value is { ValueCase: AnyValue.ValueOneofCase.StringValue } value ? value.StringValue : null;

    private static Dictionary<string, string> ToDictionary(IEnumerable<KeyValue> attributes, int maxCount, int maxValueLength)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var attribute in attributes)
        {
            if (result.Count >= maxCount)
            {
                break;
            }

            if (attribute.Key.Length is > 0 and <= MaxNameLength && attribute.Value is not null)
            {
                result[attribute.Key] = Cut(ToText(attribute.Value), maxValueLength);
            }
        }

        return result;
    }

    private static string ToText(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => System.Convert.ToBase64String(value.BytesValue.Span),
        AnyValue.ValueOneofCase.ArrayValue or AnyValue.ValueOneofCase.KvlistValue => ToJson(value),
        _ => string.Empty,
    };

    private static string ToJson(AnyValue value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { MaxDepth = 64 }))
        {
            WriteJson(writer, value, depth: 0);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteJson(Utf8JsonWriter writer, AnyValue value, int depth)
    {
        // Nesting past a few levels is not worth keeping for a trace viewer; it is summarised, not rejected.
        if (depth > 8)
        {
            writer.WriteStringValue("…");
            return;
        }

        switch (value.ValueCase)
        {
            case AnyValue.ValueOneofCase.ArrayValue:
                writer.WriteStartArray();
                foreach (var item in value.ArrayValue.Values)
                {
                    WriteJson(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case AnyValue.ValueOneofCase.KvlistValue:
                writer.WriteStartObject();
                foreach (var pair in value.KvlistValue.Values)
                {
                    writer.WritePropertyName(pair.Key);
                    WriteJson(writer, pair.Value ?? new AnyValue(), depth + 1);
                }

                writer.WriteEndObject();
                break;
            case AnyValue.ValueOneofCase.IntValue:
                writer.WriteNumberValue(value.IntValue);
                break;
            case AnyValue.ValueOneofCase.DoubleValue when double.IsFinite(value.DoubleValue):
                writer.WriteNumberValue(value.DoubleValue);
                break;
            case AnyValue.ValueOneofCase.BoolValue:
                writer.WriteBooleanValue(value.BoolValue);
                break;
            case AnyValue.ValueOneofCase.None:
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(ToText(value));
                break;
        }
    }

    private static string Cut(string value, int maxLength) => value.Length <= maxLength ? value : string.Concat(value.AsSpan(0, maxLength - 1), "…");
}
