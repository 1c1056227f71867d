using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rosen.Collector.Internal;

/// <summary>The collector's ActivitySource and metrics.</summary>
internal sealed class CollectorInstruments
{
    public static readonly ActivitySource ActivitySource = new(RosenCollectorTelemetry.Name, typeof(CollectorInstruments).Assembly.GetName().Version?.ToString());

    public CollectorInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(RosenCollectorTelemetry.Name, typeof(CollectorInstruments).Assembly.GetName().Version?.ToString());
        Spans = meter.CreateCounter<long>("rosen.collector.spans", "{span}", "Spans received over OTLP, by outcome (accepted or rejected).");
        RejectedRequests = meter.CreateCounter<long>("rosen.collector.requests.rejected", "{request}", "OTLP requests refused as a whole, by HTTP status.");
        Deleted = meter.CreateCounter<long>("rosen.collector.retention.deleted", "{span}", "Spans deleted because they outlived the retention period.");
        LogRecords = meter.CreateCounter<long>("rosen.collector.log_records", "{log_record}", "Log records received over OTLP, by outcome (accepted or rejected).");
        DeletedLogRecords = meter.CreateCounter<long>("rosen.collector.retention.deleted_log_records", "{log_record}", "Log records deleted because they outlived the retention period.");
    }

    public Counter<long> Spans { get; }

    public Counter<long> RejectedRequests { get; }

    public Counter<long> Deleted { get; }

    public Counter<long> LogRecords { get; }

    public Counter<long> DeletedLogRecords { get; }
}
