namespace Gravity.Sync.Kafka;

/// <summary>
/// Configures one exporter of type <c>kafka</c>: where its "synced" events go. Unset values fall back to the
/// exporter's exporter.json entry (<c>host</c>/<c>port</c> or <c>hosts</c>, <c>topic</c>, <c>username</c>,
/// <c>password</c>), then to the <see cref="GravityKafkaOptions"/> cluster.
/// </summary>
public sealed class GravityKafkaExporterOptions
{
    /// <summary>Gets or sets the bootstrap servers, when they are not <see cref="GravityKafkaOptions.BootstrapServers"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? BootstrapServers { get; set; }

    /// <summary>Gets or sets the topic synced events are produced to, keyed by database, table and row key (so each row's events stay in order).</summary>
    /// <value>The default value is <see langword="null"/>: exporter.json's <c>topic</c>, else <c>gravity.synced</c>.</value>
    public string? Topic { get; set; }

    /// <summary>Gets or sets the SASL user name for that cluster. Never logged.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Username { get; set; }

    /// <summary>Gets or sets the SASL password for that cluster. Never logged.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Password { get; set; }
}
