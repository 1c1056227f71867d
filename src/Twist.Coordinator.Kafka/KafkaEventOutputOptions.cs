using Confluent.Kafka;

namespace Twist.Coordinator.Kafka;

/// <summary>Where and how the coordinator publishes its transaction events to Kafka.</summary>
public sealed class KafkaEventOutputOptions
{
    /// <summary>The configuration section these options are conventionally bound from.</summary>
    public const string SectionName = "Twist:Coordinator:Kafka";

    /// <summary>Gets or sets the bootstrap servers, <c>host:port</c> comma-separated.</summary>
    /// <value>The default value is <c>127.0.0.1:9092</c>.</value>
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    /// <summary>
    /// Gets or sets the topic every event goes to. Messages are keyed by transaction id, so all events of one
    /// transaction land in one partition, in order. It must exist unless the cluster creates topics on first use.
    /// </summary>
    /// <value>The default value is <c>twist.transactions</c>.</value>
    public string Topic { get; set; } = "twist.transactions";

    /// <summary>Gets or sets the protocol used to talk to the brokers.</summary>
    /// <value>The default value is <see langword="null"/>: plaintext, or SASL over TLS when <see cref="Username"/> is set.</value>
    public SecurityProtocol? SecurityProtocol { get; set; }

    /// <summary>Gets or sets the SASL mechanism.</summary>
    /// <value>The default value is <see langword="null"/>: PLAIN when <see cref="Username"/> is set.</value>
    public SaslMechanism? SaslMechanism { get; set; }

    /// <summary>Gets or sets the SASL user name. Never logged.</summary>
    /// <value>The default value is <see langword="null"/> (no SASL).</value>
    public string? Username { get; set; }

    /// <summary>Gets or sets the SASL password. Never logged.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Password { get; set; }

    /// <summary>
    /// Gets or sets how long the producer keeps trying to deliver one event (Kafka's <c>message.timeout.ms</c>) through
    /// broker outages and leader changes, before the event counts as failed and the coordinator's dispatcher retries
    /// it or reports it dropped.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets a last adjustment of the producer's configuration (TLS files, timeouts, ...), applied after the
    /// properties above. Idempotence and <c>acks=all</c> stay on: they are what keeps each transaction's order.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Action<ProducerConfig>? ConfigureProducer { get; set; }

    /// <summary>Describes the options with the credentials redacted (safe to log).</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"BootstrapServers={BootstrapServers}, Topic={Topic}, Sasl={(Username is null ? "none" : SaslMechanism?.ToString() ?? "Plain")}, DeliveryTimeout={DeliveryTimeout}";
}
