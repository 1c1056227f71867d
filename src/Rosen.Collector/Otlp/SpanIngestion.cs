using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Rosen.Collector.Internal;
using Rosen.Collector.Storage;

namespace Rosen.Collector.Otlp;

/// <summary>What both OTLP transports do with a parsed request: convert, store, count, log.</summary>
internal sealed class SpanIngestion(ISpanStore store, CollectorInstruments instruments, IOptions<RosenCollectorOptions> options, ILogger<SpanIngestion> logger)
{
    /// <summary>Stores the request's valid spans.</summary>
    /// <exception cref="SpanStoreUnavailableException">The store failed; the sender should retry.</exception>
    public async Task<ExportTraceServiceResponse> IngestAsync(ExportTraceServiceRequest request, string transport, CancellationToken cancellationToken)
    {
        var conversion = OtlpSpanConverter.Convert(request, options.Value.MaxAttributeValueLength);
        int written;
        try
        {
            written = await store.WriteAsync(conversion.Accepted, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.StoreFailed(logger, ex, transport, conversion.Accepted.Count);
            Activity.Current?.AddException(ex);
            throw new SpanStoreUnavailableException("The span store is unavailable; retry later.", ex);
        }

        var transportTag = new KeyValuePair<string, object?>("rosen.transport", transport);
        instruments.Spans.Add(conversion.Accepted.Count, new KeyValuePair<string, object?>("rosen.outcome", "accepted"), transportTag);
        if (conversion.Rejected > 0)
        {
            instruments.Spans.Add(conversion.Rejected, new KeyValuePair<string, object?>("rosen.outcome", "rejected"), transportTag);
            Log.InvalidSpansRejected(logger, transport, conversion.Rejected, conversion.FirstError ?? string.Empty);
        }

        Log.SpansReceived(logger, transport, conversion.Accepted.Count, conversion.Rejected, written);
        var response = new ExportTraceServiceResponse();
        if (conversion.Rejected > 0)
        {
            response.PartialSuccess = new ExportTracePartialSuccess { RejectedSpans = conversion.Rejected, ErrorMessage = conversion.FirstError ?? string.Empty };
        }

        return response;
    }
}
