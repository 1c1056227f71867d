namespace Gravity.Sync.Nats;

/// <summary>
/// Configures one exporter of type <c>nats</c>: where its "synced" events go. Unset values fall back to the exporter's
/// exporter.json entry (<c>url</c> or <c>host</c>/<c>port</c>, <c>subject</c>, <c>stream</c>, <c>username</c>,
/// <c>password</c>, <c>token</c>), then to the <see cref="GravityNatsOptions"/> connection.
/// </summary>
public sealed class GravityNatsExporterOptions
{
    /// <summary>Gets or sets the NATS server URL, when it is not the one in <see cref="GravityNatsOptions.Url"/>.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Url { get; set; }

    /// <summary>Gets or sets the user name for that server. Never logged.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password for that server. Never logged.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Password { get; set; }

    /// <summary>Gets or sets the token for that server. Never logged.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Token { get; set; }

    /// <summary>
    /// Gets or sets the subject prefix: a synced event goes to <c>&lt;subject&gt;.&lt;database&gt;.&lt;table&gt;</c>,
    /// so consumers can subscribe to one view.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: exporter.json's <c>subject</c>, else <c>gravity.synced</c>.</value>
    public string? Subject { get; set; }

    /// <summary>
    /// Gets or sets a value indicating whether synced events are published into a JetStream stream (acknowledged by the
    /// server, de-duplicated by event, table and key) instead of as core NATS messages.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: JetStream when exporter.json names a <c>stream</c>, otherwise core NATS.</value>
    public bool? UseJetStream { get; set; }

    /// <summary>Gets or sets the stream for JetStream mode; created with the subjects <c>&lt;subject&gt;.&gt;</c> when missing.</summary>
    /// <value>The default value is <see langword="null"/>: exporter.json's <c>stream</c>, else <c>GRAVITY_SYNCED</c>.</value>
    public string? StreamName { get; set; }
}
