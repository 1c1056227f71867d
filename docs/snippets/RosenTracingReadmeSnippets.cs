using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rosen.Tracing;

namespace Twist.Docs.Snippets;

/// <summary>The code of src/Rosen.Tracing/README.md.</summary>
public static class RosenTracingReadmeSnippets
{
    public static void Register(WebApplicationBuilder builder)
    {
        #region snippet: rosen-tracing-readme-usage
        builder.Services.AddOpenTelemetry()
            .WithTracing(t => t.AddRosenTracing().AddOtlpExporter())   // every Twist, Gravity and Rosen source (RosenTelemetry.ActivitySourceNames)
            .WithMetrics(m => m.AddRosenMetrics().AddOtlpExporter());
        #endregion
    }

    public static void Messages(Dictionary<string, string> headers, string subject)
    {
        #region snippet: rosen-tracing-readme-messages
        using var send = MessageTracing.StartSend("nats", subject);
        MessageTracing.Inject(headers, static (h, key, value) => h[key] = value);      // traceparent, tracestate, baggage

        var context = MessageTracing.Extract(headers, static (h, key) => h.TryGetValue(key, out var v) ? [v] : null);
        using var process = MessageTracing.StartProcess("nats", subject, context);
        #endregion
    }
}
