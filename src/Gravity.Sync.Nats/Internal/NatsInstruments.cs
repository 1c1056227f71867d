using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gravity.Sync.Nats.Internal;

/// <summary>The package's spans and metrics, named <see cref="GravityNatsTelemetry.Name"/>.</summary>
internal sealed class NatsInstruments : IDisposable
{
    private readonly Meter _meter;

    public static readonly ActivitySource ActivitySource = new(GravityNatsTelemetry.Name, typeof(NatsInstruments).Assembly.GetName().Version?.ToString());

    /// <param name="meterFactory">The host's meter factory; without one (a bare service provider) the meter is created directly.</param>
    public NatsInstruments(IMeterFactory? meterFactory = null)
    {
        var options = new MeterOptions(GravityNatsTelemetry.Name) { Version = typeof(NatsInstruments).Assembly.GetName().Version?.ToString() };
        var meter = _meter = meterFactory?.Create(options) ?? new Meter(options);
        Published = meter.CreateCounter<long>("gravity.nats.messages.published", "{message}", "Messages published to NATS: domain events (gravity.message.kind=event) and synced events (synced).");
        Invalid = meter.CreateCounter<long>("gravity.nats.messages.invalid", "{message}", "Stream messages that name no event; they are skipped as unmatched.");
        Acknowledged = meter.CreateCounter<long>("gravity.nats.acknowledgements", "{acknowledgement}", "Acknowledgements sent to the durable consumer after every database committed.");
    }

    public Counter<long> Published { get; }

    public Counter<long> Invalid { get; }

    public Counter<long> Acknowledged { get; }

    public void Dispose() => _meter.Dispose();

    public static KeyValuePair<string, object?> Kind(string kind) => new("gravity.message.kind", kind);
}
