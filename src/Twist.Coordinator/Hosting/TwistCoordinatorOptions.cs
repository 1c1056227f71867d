using Twist.Coordinator.Storage;

namespace Twist.Coordinator.Hosting;

/// <summary>
/// Configures the coordinator. Bound from the <c>Twist:Coordinator</c> configuration section by the host; validated at
/// start-up. Defaults are the recommended values.
/// </summary>
public sealed class TwistCoordinatorOptions
{
    /// <summary>The configuration section the host binds these options from.</summary>
    public const string SectionName = "Twist:Coordinator";

    /// <summary>Gets or sets the path of the SQLite database file used when no other store is configured.</summary>
    /// <value>The default value is <c>twist-coordinator.db</c> in the current directory.</value>
    public string SqlitePath { get; set; } = "twist-coordinator.db";

    /// <summary>Gets or sets how long a transaction may stay undecided when the caller gives no timeout.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the longest timeout a caller may ask for.</summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan MaxTimeout { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how long Confirm and Cancel wait for participants before answering with the in-flight status
    /// (Confirming/Cancelling, HTTP 202); deliveries continue in the background either way.
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan DecisionWaitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the most participants one transaction may have.</summary>
    /// <value>The default value is 64.</value>
    public int MaxParticipantsPerTransaction { get; set; } = 64;

    /// <summary>Gets or sets the longest participant link URI accepted.</summary>
    /// <value>The default value is 2048.</value>
    public int MaxLinkLength { get; set; } = 2048;

    /// <summary>
    /// Gets the hosts participant links may point to: exact host names (<c>bank.internal</c>), wildcard suffixes
    /// (<c>*.svc.cluster.local</c>), IP addresses or CIDR ranges (<c>10.0.0.0/8</c>). Links to any other host are
    /// refused. Cloud metadata and link-local addresses are refused even when listed, also after DNS resolution.
    /// </summary>
    /// <value>The default value is empty: no participant is allowed until you list your services' hosts.</value>
    public IList<string> AllowedParticipantHosts { get; } = [];

    /// <summary>Gets or sets the timeout of one Confirm/Cancel call to a participant.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan ParticipantCallTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the delay before the first retry of a failed delivery; later retries double it, with jitter.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the cap on the delay between retries.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets the retry budget: the most delivery attempts per participant before it is parked for an operator.
    /// </summary>
    /// <value>The default value is 20 (about eight minutes with the default delays).</value>
    public int MaxAttemptsPerParticipant { get; set; } = 20;

    /// <summary>Gets or sets the most participant deliveries in flight at once, across all transactions.</summary>
    /// <value>The default value is 512.</value>
    public int MaxConcurrentDeliveries { get; set; } = 512;

    /// <summary>Gets or sets the credential the coordinator presents to participants.</summary>
    public ParticipantCredentialOptions ParticipantCredential { get; set; } = new();

    /// <summary>Gets or sets how often undecided transactions are checked for their deadline.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan TimeoutSweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how often the store is scanned for decided transactions that no one is driving (after a restart, or retries due).</summary>
    /// <value>The default value is 5 seconds.</value>
    public TimeSpan RecoveryInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Gets or sets how long this instance's lease lasts without renewal, when several instances share the store
    /// (PostgreSQL). The lease is renewed every third of it. When an instance dies, the others take its unfinished
    /// transactions over once its lease has lapsed, so this bounds the takeover time; an instance that cannot renew in
    /// time stops calling participants until it can.
    /// </summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets or sets the most decided transactions one recovery pass resumes or claims from instances whose lease lapsed.</summary>
    /// <value>The default value is 500.</value>
    public int RecoveryBatchSize { get; set; } = 500;

    /// <summary>
    /// Gets or sets the most decided transactions this instance drives at once beyond the ones it decided itself. When
    /// it drives that many, recovery claims no more, so transactions left by a dead instance go to instances with room.
    /// </summary>
    /// <value>The default value is 20000.</value>
    public int MaxRecoveringTransactions { get; set; } = 20_000;

    /// <summary>Gets or sets how long finished transactions are kept before they are purged.</summary>
    /// <value>The default value is 7 days.</value>
    public TimeSpan RetainFinishedFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// Gets or sets how long operator audit entries (retry, force-cancel, resolve) are kept. Longer than
    /// <see cref="RetainFinishedFor"/> by default: the audit answers "who did what" after the transaction itself is gone.
    /// Unbound Brobridge v1 tasks are kept for <see cref="RetainFinishedFor"/> after they expire.
    /// </summary>
    /// <value>The default value is 90 days.</value>
    public TimeSpan RetainAuditFor { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Gets or sets how often finished transactions are purged.</summary>
    /// <value>The default value is 10 minutes.</value>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets the store factory; set by <see cref="UseSqlite"/> or by a store package (e.g. PostgreSQL).</summary>
    /// <value>The default value is <see langword="null"/>: SQLite at <see cref="SqlitePath"/>.</value>
    public Func<IServiceProvider, ITransactionStore>? StoreFactory { get; set; }

    /// <summary>Stores the coordinator's log in a SQLite database file (WAL mode, group commit).</summary>
    /// <param name="path">The database file path; created if missing.</param>
    /// <returns>These options, for chaining.</returns>
    public TwistCoordinatorOptions UseSqlite(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        SqlitePath = path;
        StoreFactory = null;
        return this;
    }

    /// <summary>Uses a custom store.</summary>
    /// <param name="factory">Creates the store from the service provider.</param>
    /// <returns>These options, for chaining.</returns>
    public TwistCoordinatorOptions UseStore(Func<IServiceProvider, ITransactionStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        StoreFactory = factory;
        return this;
    }
}
