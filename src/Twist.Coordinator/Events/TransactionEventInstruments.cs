using System.Diagnostics.Metrics;
using Twist.Coordinator.Diagnostics;

namespace Twist.Coordinator.Events;

/// <summary>Metrics of the event output, on the coordinator's meter (the factory hands back the same <see cref="Meter"/>).</summary>
internal sealed class TransactionEventInstruments
{
    public const string KindAttribute = "twist.event.kind";
    public const string DropReasonAttribute = "twist.event.drop.reason";

    public TransactionEventInstruments(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(new MeterOptions(TwistCoordinatorTelemetry.Name) { Version = typeof(TransactionEventInstruments).Assembly.GetName().Version?.ToString() });
        Published = meter.CreateCounter<long>("twist.coordinator.events.published", "{event}", "Transaction events a sink accepted, by kind.");
        Dropped = meter.CreateCounter<long>("twist.coordinator.events.dropped", "{event}", "Transaction events lost because the queue was full, a sink kept failing or the host stopped, by kind and reason.");
    }

    public Counter<long> Published { get; }

    public Counter<long> Dropped { get; }
}
