using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry.Proto.Collector.Logs.V1;
using Rosen.Collector.Internal;
using Rosen.Collector.Storage;

namespace Rosen.Collector.Otlp;

/// <summary>What both OTLP transports do with a parsed logs request: convert, store, count, log.</summary>
internal sealed class LogIngestion(ISpanStore store, CollectorInstruments instruments, IOptions<RosenCollectorOptions> options, TimeProvider timeProvider, ILogger<LogIngestion> logger)
{
    /// <summary>Stores the request's valid log records.</summary>
    /// <exception cref="SpanStoreUnavailableException">The store failed; the sender should retry.</exception>
    public async Task<ExportLogsServiceResponse> IngestAsync(ExportLogsServiceRequest request, string transport, CancellationToken cancellationToken)
    {
        var conversion = OtlpLogConverter.Convert(request, options.Value.MaxAttributeValueLength, SpanRowFormat.ToUnixNano(timeProvider.GetUtcNow()));
        int written;
        try
        {
            written = await store.WriteLogsAsync(conversion.Accepted, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.LogStoreFailed(logger, ex, transport, conversion.Accepted.Count);
            Activity.Current?.AddException(ex);
            throw new SpanStoreUnavailableException("The span store is unavailable; retry later.", ex);
        }

        var transportTag = new KeyValuePair<string, object?>("rosen.transport", transport);
        instruments.LogRecords.Add(conversion.Accepted.Count, new KeyValuePair<string, object?>("rosen.outcome", "accepted"), transportTag);
        if (conversion.Rejected > 0)
        {
            instruments.LogRecords.Add(conversion.Rejected, new KeyValuePair<string, object?>("rosen.outcome", "rejected"), transportTag);
            Log.InvalidLogRecordsRejected(logger, transport, conversion.Rejected, conversion.FirstError ?? string.Empty);
        }

        Log.LogRecordsReceived(logger, transport, conversion.Accepted.Count, conversion.Rejected, written);
        var response = new ExportLogsServiceResponse();
        if (conversion.Rejected > 0)
        {
            response.PartialSuccess = new ExportLogsPartialSuccess { RejectedLogRecords = conversion.Rejected, ErrorMessage = conversion.FirstError ?? string.Empty };
        }

        return response;
    }
}
