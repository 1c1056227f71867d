using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Rosen.Collector.Tests;

/// <summary>Real OpenTelemetry SDK tracer providers with the real OTLP exporter, one per pretend service.</summary>
public static class Exporters
{
    public static TracerProvider For(string service, string source, Uri endpoint, OtlpExportProtocol protocol = OtlpExportProtocol.HttpProtobuf) =>
        Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService(service, serviceInstanceId: service + "-1"))
            .AddSource(source)
            .SetSampler(new AlwaysOnSampler())
            .AddOtlpExporter(o =>
            {
                o.Endpoint = endpoint;
                o.Protocol = protocol;
                o.ExportProcessorType = ExportProcessorType.Simple;
                o.TimeoutMilliseconds = 5000;
            })
            .Build();

    public static ActivityContext Context(this Activity activity) => activity.Context;
}
