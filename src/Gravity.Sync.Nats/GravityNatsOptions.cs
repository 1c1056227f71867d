using NATS.Client.Core;

namespace Gravity.Sync.Nats;

/// <summary>
/// Configures Gravity's use of NATS JetStream: the connection, the stream domain events live in, the durable consumer
/// the synchronizer acknowledges, and the "synced" exporters. Bound from the <c>Gravity:Nats</c> configuration section
/// (unknown keys are errors) and validated at start-up. Defaults are the recommended values.
/// </summary>
public sealed class GravityNatsOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Gravity:Nats";

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

    /// <summary>Gets or sets how long connecting to the server may take.</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets the JetStream stream that holds the domain events. The synchronizer reads every message of it, so
    /// give Gravity a stream of its own. A missing stream is created (see <see cref="CreateStream"/>); an existing one
    /// is used as its owner configured it.
    /// </summary>
    /// <value>The default value is <c>GRAVITY_EVENTS</c>.</value>
    public string StreamName { get; set; } = "GRAVITY_EVENTS";

    /// <summary>
    /// Gets or sets the subject prefix: an event named <c>userCreated</c> is published to
    /// <c>&lt;prefix&gt;.userCreated</c>, and a created stream takes the subjects <c>&lt;prefix&gt;.&gt;</c>.
    /// </summary>
    /// <value>The default value is <c>gravity.events</c>.</value>
    public string SubjectPrefix { get; set; } = "gravity.events";

    /// <summary>Gets or sets a value indicating whether a missing stream is created (file storage, limits retention).</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool CreateStream { get; set; } = true;

    /// <summary>
    /// Gets or sets the durable pull consumer the synchronizer acknowledges once every database has committed an
    /// event. With interest retention the stream keeps each event until then; its ack floor shows the views' progress.
    /// </summary>
    /// <value>The default value is <c>gravity-sync</c>.</value>
    public string ConsumerName { get; set; } = "gravity-sync";

    /// <summary>
    /// Gets or sets how long the durable consumer waits for an acknowledgement before it delivers a message again.
    /// The synchronizer holds deliveries until the views commit, so keep it well above a slow batch.
    /// </summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan AckWait { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Gets or sets how many key partitions the stream's events are spread over, so several synchronizer instances can
    /// share the work. 0 keeps one ordered stream read by one instance. With N partitions the publisher sends an event
    /// to <c>&lt;prefix&gt;.&lt;p&gt;.&lt;event&gt;</c>, where p is the FNV-1a hash of its key modulo N (every event of
    /// a key lands in one partition and keeps its order), and synchronizer instances claim partitions through leases
    /// in <see cref="ClaimBucket"/>, so each partition is read by one instance at a time. Publishers and synchronizers
    /// must agree on it, and it stays fixed for the life of the stream.
    /// </summary>
    /// <value>The default value is 0 (not partitioned).</value>
    public int Partitions { get; set; }

    /// <summary>
    /// Gets or sets the top-level payload field whose value is the partition key of an event that has no
    /// <see cref="Events.GravityEventData.Key"/> (only with <see cref="Partitions"/>). Give every event of a view row the
    /// same key: publish with the rule's key.
    /// </summary>
    /// <value>The default value is <c>id</c>; events without either key are spread by their id (no order between them).</value>
    public string? KeyField { get; set; } = "id";

    /// <summary>
    /// Gets or sets the JetStream key-value bucket where synchronizer instances claim partitions (only with
    /// <see cref="Partitions"/>). A missing bucket is created with <see cref="ClaimTtl"/> as its entries' age limit.
    /// </summary>
    /// <value>The default value is <c>gravity-sync-claims</c>.</value>
    public string ClaimBucket { get; set; } = "gravity-sync-claims";

    /// <summary>
    /// Gets or sets how long a claim lives without renewal: a killed instance's partitions pass to others after at most
    /// this long (plus a third of it). Instances renew every third of it; one that cannot renew for this long stops its
    /// partitions as lost. Used when the bucket is created; an existing bucket keeps its age limit.
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan ClaimTtl { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets this instance's name in claims and logs (letters, digits, '-' and '_').</summary>
    /// <value>The default value is <see langword="null"/>: the machine name, the process id and a random suffix.</value>
    public string? InstanceId { get; set; }

    /// <summary>Gets the "synced" exporters by the name rules use (exporter.json entries of type <c>nats</c>, or declared with <c>AddNatsExporter</c>).</summary>
    public IDictionary<string, GravityNatsExporterOptions> Exporters { get; } = new Dictionary<string, GravityNatsExporterOptions>(StringComparer.Ordinal);

    /// <summary>Gets or sets a last adjustment of the client options (TLS, reconnect policy, ...), applied after the properties above.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public Func<NatsOpts, NatsOpts>? ConfigureConnection { get; set; }

    /// <summary>Describes the options with the credentials redacted (safe to log).</summary>
    /// <returns>The description.</returns>
    public override string ToString() =>
        $"Url={Internal.Redaction.Url(Url)}, Credentials={Internal.Redaction.CredentialKind(Token, Username, Url)}, StreamName={StreamName}, SubjectPrefix={SubjectPrefix}, ConsumerName={ConsumerName}, Partitions={Partitions}";
}
