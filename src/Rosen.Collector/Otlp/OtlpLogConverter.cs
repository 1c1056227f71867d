using System.Globalization;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Common.V1;
using Rosen.Collector.Storage;
using static Rosen.Collector.Otlp.OtlpValues;
using OtlpLogRecord = OpenTelemetry.Proto.Logs.V1.LogRecord;

namespace Rosen.Collector.Otlp;

/// <summary>
/// Turns an OTLP logs export request into <see cref="CollectedLogRecord"/>s. A record with a malformed trace or span id
/// is rejected alone (OTLP partial success); the rest of the request is kept.
/// </summary>
internal static class OtlpLogConverter
{
    /// <summary>Where OpenTelemetry .NET puts <c>EventId.Id</c> (only with <c>OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES=true</c>).</summary>
    public const string EventIdAttribute = "logrecord.event.id";

    /// <summary>Where OpenTelemetry .NET put <c>EventId.Name</c> before the OTLP <c>event_name</c> field existed.</summary>
    public const string EventNameAttribute = "logrecord.event.name";

    /// <summary>The placeholder Twist's log messages name the transaction id with (<c>"Transaction {Tid} …"</c>).</summary>
    public const string TidAttribute = "Tid";

    /// <summary>The placeholder Gravity's log messages name the event id with; Twist uses the same name for its own event ids.</summary>
    public const string GravityEventIdPlaceholder = "EventId";

    private const int MaxAttributesPerRecord = 128;

    /// <summary>Converts every record of the request, rejecting only the malformed ones.</summary>
    /// <param name="request">The export request.</param>
    /// <param name="maxValueLength">The longest attribute value or body kept.</param>
    /// <param name="receivedUnixNano">The time of a record that carries neither of its two timestamps.</param>
    public static OtlpConversion<CollectedLogRecord> Convert(ExportLogsServiceRequest request, int maxValueLength, long receivedUnixNano)
    {
        var accepted = new List<CollectedLogRecord>();
        var rejected = 0;
        string? firstError = null;
        foreach (var resourceLogs in request.ResourceLogs)
        {
            var (serviceName, instance) = ServiceOf(resourceLogs.Resource);
            foreach (var scopeLogs in resourceLogs.ScopeLogs)
            {
                var scope = ScopeNameOf(scopeLogs.Scope);
                foreach (var record in scopeLogs.LogRecords)
                {
                    if (Validate(record) is { } error)
                    {
                        rejected++;
                        firstError ??= error;
                        continue;
                    }

                    accepted.Add(ToCollected(record, serviceName, instance, scope, maxValueLength, receivedUnixNano));
                }
            }
        }

        return new OtlpConversion<CollectedLogRecord>(accepted, rejected, firstError);
    }

    // Both ids are optional on a log record, but one that is present must have its OTLP length.
    private static string? Validate(OtlpLogRecord record)
    {
        if (record.TraceId.Length is not (0 or 16))
        {
            return $"a log record has trace_id of {record.TraceId.Length} bytes; OTLP needs 16 bytes or none.";
        }

        if (record.SpanId.Length is not (0 or 8))
        {
            return $"a log record has span_id of {record.SpanId.Length} bytes; OTLP needs 8 bytes or none.";
        }

        return null;
    }

    private static CollectedLogRecord ToCollected(OtlpLogRecord record, string serviceName, string? instance, string? scope, int maxValueLength, long receivedUnixNano)
    {
        var attributes = ToDictionary(record.Attributes, MaxAttributesPerRecord, maxValueLength);
        var time = record.TimeUnixNano != 0 ? record.TimeUnixNano : record.ObservedTimeUnixNano;
        var traceId = IsValidId(record.TraceId, 16) ? System.Convert.ToHexStringLower(record.TraceId.Span) : null;
        return new CollectedLogRecord
        {
            TimeUnixNano = time == 0 ? receivedUnixNano : ToNano(time),
            SeverityNumber = (int)record.SeverityNumber is >= 0 and <= 24 ? (int)record.SeverityNumber : 0,
            SeverityText = record.SeverityText is { Length: > 0 } text ? Cut(text, MaxNameLength) : null,
            Body = record.Body is null || record.Body.ValueCase == AnyValue.ValueOneofCase.None ? null
                : Cut(record.Body.ValueCase == AnyValue.ValueOneofCase.StringValue ? LogMessageTemplate.Render(record.Body.StringValue, attributes) : ToJson(record.Body), maxValueLength),
            ServiceName = serviceName,
            ServiceInstanceId = instance,
            ScopeName = scope,
            TraceId = traceId,
            // A span id means little without its trace: the transaction's logs are found by the pair.
            SpanId = traceId is not null && IsValidId(record.SpanId, 8) ? System.Convert.ToHexStringLower(record.SpanId.Span) : null,
            EventName = record.EventName is { Length: > 0 } eventName ? Cut(eventName, MaxNameLength)
                : attributes.GetValueOrDefault(EventNameAttribute) is { Length: > 0 } legacy ? Cut(legacy, MaxNameLength) : null,
            EventId = int.TryParse(attributes.GetValueOrDefault(EventIdAttribute), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null,
            Attributes = attributes,
            TransactionId = NonEmpty(attributes.GetValueOrDefault(RosenCollectorTelemetry.TransactionIdAttribute)) ?? NonEmpty(attributes.GetValueOrDefault(TidAttribute)),
            GravityEventId = NonEmpty(attributes.GetValueOrDefault(RosenCollectorTelemetry.EventIdAttribute))
                ?? (scope?.StartsWith("Gravity.", StringComparison.Ordinal) == true ? NonEmpty(attributes.GetValueOrDefault(GravityEventIdPlaceholder)) : null),
        };
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
