using System.Globalization;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using OpenTelemetry.Proto.Common.V1;

namespace Rosen.Collector.Otlp;

/// <summary>How OTLP values become stored text, the same for spans and log records.</summary>
internal static class OtlpValues
{
    /// <summary>The longest name (span, event, attribute key, service, scope) kept.</summary>
    public const int MaxNameLength = 512;

    /// <summary>The service of a resource without <c>service.name</c>, as OpenTelemetry SDKs name it.</summary>
    public const string UnknownService = "unknown_service";

    public static bool IsValidId(ByteString id, int length) => id.Length == length && id.Span.ContainsAnyExcept((byte)0);

    // Nanoseconds past long.MaxValue (year 2262) are clamped rather than wrapped into the past.
    public static long ToNano(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;

    /// <summary>The service name and instance of a resource, cut to <see cref="MaxNameLength"/>.</summary>
    public static (string Name, string? Instance) ServiceOf(OpenTelemetry.Proto.Resource.V1.Resource? resource) =>
        (Find(resource?.Attributes, "service.name") is { Length: > 0 } name ? Cut(name, MaxNameLength) : UnknownService,
         Find(resource?.Attributes, "service.instance.id") is { Length: > 0 } id ? Cut(id, MaxNameLength) : null);

    /// <summary>The instrumentation scope's name, cut to <see cref="MaxNameLength"/>, or <see langword="null"/>.</summary>
    public static string? ScopeNameOf(InstrumentationScope? scope) => scope?.Name is { Length: > 0 } name ? Cut(name, MaxNameLength) : null;

    public static string? Find(IEnumerable<KeyValue>? attributes, string key) =>
        attributes?.FirstOrDefault(a => a.Key == key)?.Value is { ValueCase: AnyValue.ValueOneofCase.StringValue } value ? value.StringValue : null;

    public static Dictionary<string, string> ToDictionary(IEnumerable<KeyValue> attributes, int maxCount, int maxValueLength)
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

    public static string ToText(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString("R", CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BytesValue => System.Convert.ToBase64String(value.BytesValue.Span),
        AnyValue.ValueOneofCase.ArrayValue or AnyValue.ValueOneofCase.KvlistValue => ToJson(value),
        _ => string.Empty,
    };

    public static string ToJson(AnyValue value)
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

    public static string Cut(string value, int maxLength) => value.Length <= maxLength ? value : string.Concat(value.AsSpan(0, maxLength - 1), "…");
}
