using Confluent.Kafka;

namespace Gravity.Sync.Kafka;

/// <summary>
/// Configures Gravity's use of Kafka: the cluster, the topic domain events live in, the consumer group offsets are
/// committed to, and the "synced" exporters. Bound from the <c>Gravity:Kafka</c> configuration section (unknown keys
/// are errors) and validated at start-up. Defaults are the recommended values.
/// </summary>
public sealed class GravityKafkaOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Gravity:Kafka";

    /// <summary>Gets or sets the bootstrap servers, <c>host:port</c> comma-separated.</summary>
    /// <value>The default value is <c>127.0.0.1:9092</c>.</value>
    public string BootstrapServers { get; set; } = "127.0.0.1:9092";

    /// <summary>Gets or sets the topic that holds the domain events. It must exist; its partitions are shared by the group's synchronizer instances.</summary>
    /// <value>The default value is <c>gravity.events</c>.</value>
    public string Topic { get; set; } = "gravity.events";

    /// <summary>
    /// Gets or sets the consumer group the synchronizer instances join. Instances with the same group share the
    /// topic's partitions (each partition is read by one instance at a time) and commit offsets there, once every
    /// database has committed the events before them. Lag tools show the views' progress there; the databases' own
    /// checkpoints stay the truth.
    /// </summary>
    /// <value>The default value is <c>gravity-sync</c>.</value>
    public string GroupId { get; set; } = "gravity-sync";

    /// <summary>
    /// Gets or sets how the group spreads partitions over instances. <see cref="Confluent.Kafka.PartitionAssignmentStrategy.CooperativeSticky"/>
    /// moves only the partitions that change owner when an instance joins or leaves; the eager strategies
    /// (<c>Range</c>, <c>RoundRobin</c>) stop every partition of every instance at each rebalance.
    /// </summary>
    /// <value>The default value is <see cref="Confluent.Kafka.PartitionAssignmentStrategy.CooperativeSticky"/>.</value>
    public PartitionAssignmentStrategy PartitionAssignmentStrategy { get; set; } = PartitionAssignmentStrategy.CooperativeSticky;

    /// <summary>
    /// Gets or sets how long the group waits for a silent instance (killed, partitioned from the brokers) before it
    /// gives that instance's partitions to others. Shorter means faster take-over and more false alarms on a paused
    /// process; brokers accept values between their <c>group.min.session.timeout.ms</c> (6 s by default) and
    /// <c>group.max.session.timeout.ms</c>. Heartbeats go every third of it (at most every 3 seconds).
    /// </summary>
    /// <value>The default value is 10 seconds (Kafka's client default is 45).</value>
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(10);

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
    /// Gets or sets the top-level payload field whose value keys a published message when the event has no
    /// <see cref="Events.GravityEventData.Key"/>. Kafka orders only within a partition, so every event of a view row
    /// must carry the same key: publish with the rule's key (give <c>Key</c> for composite keys).
    /// </summary>
    /// <value>The default value is <c>id</c>; <see langword="null"/> publishes unkeyed events without a key (no order between them).</value>
    public string? KeyField { get; set; } = "id";

    /// <summary>Gets or sets how long start-up waits for the topic's metadata (its partitions).</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan MetadataTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets the "synced" exporters by the name rules use (exporter.json entries of type <c>kafka</c>, or declared with <c>AddKafkaExporter</c>).</summary>
    public IDictionary<string, GravityKafkaExporterOptions> Exporters { get; } = new Dictionary<string, GravityKafkaExporterOptions>(StringComparer.Ordinal);

    /// <summary>Gets or sets a last adjustment of every client's configuration (TLS files, timeouts, ...), applied after the properties above.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Action<ClientConfig>? ConfigureClient { get; set; }

    /// <summary>Describes the options with the credentials redacted (safe to log).</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"BootstrapServers={BootstrapServers}, Topic={Topic}, GroupId={GroupId}, Assignment={PartitionAssignmentStrategy}, SessionTimeout={SessionTimeout}, Sasl={(Username is null ? "none" : SaslMechanism?.ToString() ?? "Plain")}";
}
