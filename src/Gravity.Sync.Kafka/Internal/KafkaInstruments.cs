using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>The package's spans and metrics, named <see cref="GravityKafkaTelemetry.Name"/>.</summary>
internal sealed class KafkaInstruments : IDisposable
{
    public static readonly ActivitySource ActivitySource = new(GravityKafkaTelemetry.Name, typeof(KafkaInstruments).Assembly.GetName().Version?.ToString());

    private readonly Meter _meter;

    /// <param name="meterFactory">The host's meter factory; without one (a bare service provider) the meter is created directly.</param>
    public KafkaInstruments(IMeterFactory? meterFactory = null)
    {
        var options = new MeterOptions(GravityKafkaTelemetry.Name) { Version = typeof(KafkaInstruments).Assembly.GetName().Version?.ToString() };
        _meter = meterFactory?.Create(options) ?? new Meter(options);
        Published = _meter.CreateCounter<long>("gravity.kafka.messages.published", "{message}", "Messages produced to Kafka: domain events (gravity.message.kind=event) and synced events (synced).");
        Invalid = _meter.CreateCounter<long>("gravity.kafka.messages.invalid", "{message}", "Topic messages that name no event; they are skipped as unmatched.");
        Committed = _meter.CreateCounter<long>("gravity.kafka.offsets.committed", "{commit}", "Offset commits to the consumer group after every database committed.");
    }

    public Counter<long> Published { get; }

    public Counter<long> Invalid { get; }

    public Counter<long> Committed { get; }

    public static KeyValuePair<string, object?> Kind(string kind) => new("gravity.message.kind", kind);

    public void Dispose() => _meter.Dispose();
}
