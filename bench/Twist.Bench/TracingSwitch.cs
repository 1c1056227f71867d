using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Twist.Bench;

/// <summary>
/// Turns full tracing on for one scenario and off again: Rosen's instrumentation, ASP.NET Core and HttpClient spans,
/// every span sampled, and everything exported over OTLP/HTTP protobuf to a loopback sink. The providers only exist
/// while the scenario runs, because an ActivitySource listener would otherwise make every other scenario pay too.
/// </summary>
internal sealed class TracingSwitch : IAsyncDisposable
{
    private readonly WebApplication sink;
    private long exportedBytes;

    private TracingSwitch(WebApplication sink) => this.sink = sink;

    /// <summary>OTLP payload bytes the sink received, to prove the exporter really ran.</summary>
    public long ExportedBytes => Interlocked.Read(ref exportedBytes);

    private Uri Endpoint => new(sink.Urls.First());

    /// <summary>Starts a loopback OTLP sink that reads and discards what it is sent (a stand-in for a collector).</summary>
    public static async Task<TracingSwitch> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var tracing = new TracingSwitch(app);
        app.MapPost("/v1/{signal}", async (HttpContext context) =>
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
            {
                Interlocked.Add(ref tracing.exportedBytes, read);
            }

            return Results.Ok();
        });
        await app.StartAsync();
        return tracing;
    }

    /// <summary>Starts tracing (every span sampled) and metrics with export; disposing the result flushes and stops them.</summary>
    public IDisposable On() => On(1.0, TracingParts.All);

    /// <summary>
    /// Starts tracing and metrics with export, sampling a share of the transactions: the head-sampling setting
    /// OpenTelemetry recommends for busy services (a parent-based trace-id ratio, so a transaction is kept or dropped
    /// whole in every service). Context still propagates through unsampled transactions.
    /// </summary>
    public IDisposable On(double samplingRatio) => On(samplingRatio, TracingParts.All);

    /// <summary>
    /// Starts some of the telemetry, every span sampled, to split the overhead between Twist/Rosen's own instrumentation,
    /// the framework's (ASP.NET Core and HttpClient spans and metrics) and metrics as a whole.
    /// </summary>
    public IDisposable On(TracingParts parts) => On(1.0, parts);

    private Providers On(double samplingRatio, TracingParts parts)
    {
        Sampler sampler = samplingRatio >= 1.0 ? new AlwaysOnSampler() : new ParentBasedSampler(new TraceIdRatioBasedSampler(samplingRatio));
        var framework = parts.HasFlag(TracingParts.Framework);
        var traces = Sdk.CreateTracerProviderBuilder().AddRosenTracing().SetSampler(sampler);
        if (framework)
        {
            traces.AddSource("Microsoft.AspNetCore", "System.Net.Http");
        }

        MeterProvider? metrics = null;
        if (parts.HasFlag(TracingParts.Metrics))
        {
            var meters = Sdk.CreateMeterProviderBuilder().AddRosenMetrics();
            if (framework)
            {
                meters.AddMeter("Microsoft.AspNetCore.Hosting", "System.Net.Http");
            }

            metrics = meters.AddOtlpExporter(o => Configure(o, "metrics")).Build();
        }

        return new Providers(traces.AddOtlpExporter(o => Configure(o, "traces")).Build(), metrics);
    }

    public async ValueTask DisposeAsync() => await sink.DisposeAsync();

    private void Configure(OtlpExporterOptions options, string signal)
    {
        options.Protocol = OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri(Endpoint, "/v1/" + signal);
    }

    private sealed class Providers(TracerProvider traces, MeterProvider? metrics) : IDisposable
    {
        public void Dispose()
        {
            traces.Dispose();
            metrics?.Dispose();
        }
    }
}
