using Grpc.Core;
using OpenTelemetry.Proto.Collector.Trace.V1;

namespace Rosen.Collector.Otlp;

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.trace.v1.TraceService/Export</c>.</summary>
internal sealed class OtlpGrpcTraceService(SpanIngestion ingestion) : TraceService.TraceServiceBase
{
    public override async Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
    {
        try
        {
            return await ingestion.IngestAsync(request, "grpc", context.CancellationToken).ConfigureAwait(false);
        }
        catch (SpanStoreUnavailableException ex)
        {
            // UNAVAILABLE is retryable for OTLP exporters.
            throw new RpcException(new Status(StatusCode.Unavailable, ex.Message));
        }
    }
}
