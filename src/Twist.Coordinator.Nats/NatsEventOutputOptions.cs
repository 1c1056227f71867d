using NATS.Client.Core;

namespace Twist.Coordinator.Nats;

/// <summary>Where and how the coordinator publishes its transaction events to NATS.</summary>
public sealed class NatsEventOutputOptions
{
    /// <summary>The configuration section these options are conventionally bound from.</summary>
    public const string SectionName = "Twist:Coordinator:Nats";

    /// <summary>Gets or sets the NATS server URL (several may be given, comma-separated).</summary>
    /// <value>The default value is <c>nats://127.0.0.1:4222</c>.</value>
    public string Url { get; set; } = "nats://127.0.0.1:4222";

    /// <summary>Gets or sets the user name for user/password authentication. Never logged.</summary>
    /// <value>The default value is <see langword="null"/> (no user/password).</value>
    public string? Username { get; set; }

    /// <summary>Gets or sets the password that goes with <see cref="Username"/>. Never logged.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Password { get; set; }

    /// <summary>Gets or sets the token for token authentication (instead of <see cref="Username"/>/<see cref="Password"/>). Never logged.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Token { get; set; }

    /// <summary>
    /// Gets or sets the subject prefix: each event goes to <c>&lt;prefix&gt;.&lt;transaction id&gt;.eventEmitted</c>
    /// (a '.' in a transaction id becomes '_' so the id stays one subject token).
    /// </summary>
    /// <value>The default value is <c>twist.transaction</c>, the original Brobridge Twist subject.</value>
    public string SubjectPrefix { get; set; } = "twist.transaction";

    /// <summary>
    /// Gets or sets a value indicating whether events are published into a JetStream stream (acknowledged by the
    /// server and de-duplicated by event id) instead of as plain core NATS messages (fire-and-forget).
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseJetStream { get; set; }

    /// <summary>
    /// Gets or sets the JetStream stream the events go to. If it does not exist it is created with the subjects
    /// <c>&lt;prefix&gt;.&gt;</c>; an existing stream is used as it is.
    /// </summary>
    /// <value>The default value is <c>TWIST_TRANSACTIONS</c>.</value>
    public string StreamName { get; set; } = "TWIST_TRANSACTIONS";

    /// <summary>Gets or sets how long connecting to the server may take.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets a last adjustment of the client options (TLS, reconnect policy, ...), applied after the
    /// properties above.
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<NatsOpts, NatsOpts>? ConfigureConnection { get; set; }

    /// <summary>Describes the options with the credentials redacted (safe to log).</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"Url={Redaction.Url(Url)}, Credentials={Redaction.CredentialKind(this)}, SubjectPrefix={SubjectPrefix}, UseJetStream={UseJetStream}, StreamName={StreamName}";
}
