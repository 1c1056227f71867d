using Grpc.Core;
using OpenTelemetry.Proto.Collector.Logs.V1;

namespace Rosen.Collector.Otlp;

/// <summary>OTLP/gRPC <c>opentelemetry.proto.collector.logs.v1.LogsService/Export</c>.</summary>
internal sealed class OtlpGrpcLogsService(LogIngestion ingestion) : LogsService.LogsServiceBase
{
    public override async Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
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
