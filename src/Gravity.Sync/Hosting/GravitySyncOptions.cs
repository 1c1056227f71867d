namespace Gravity.Sync.Hosting;

/// <summary>
/// Configures the synchronizer. Bound from the <c>Gravity:Sync</c> configuration section (unknown keys are errors) and
/// validated at start-up. Defaults are the recommended values.
/// </summary>
public sealed class GravitySyncOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Gravity:Sync";

    /// <summary>Gets the rules.json files, combined in order. Paths are relative to the current directory.</summary>
    /// <value>The default value is empty; then rules must be given in code (<c>UseRules</c>).</value>
    public IList<string> RulesFiles { get; } = [];

    /// <summary>Gets or sets the databases.json file.</summary>
    public string? DatabasesFile { get; set; }

    /// <summary>Gets or sets the exporter.json file.</summary>
    public string? ExportersFile { get; set; }

    /// <summary>Gets or sets the database that table rules naming none write to.</summary>
    /// <value>The default value is <see langword="null"/>: every table rule must name or attach a database.</value>
    public string? DefaultDatabase { get; set; }

    /// <summary>Gets or sets the folder the embedded event log and relative SQLite view paths live in.</summary>
    /// <value>The default value is the current directory.</value>
    public string DataDirectory { get; set; } = ".";

    /// <summary>Gets or sets the embedded event log's file name, relative to <see cref="DataDirectory"/>.</summary>
    /// <value>The default value is <c>gravity-events.db</c>.</value>
    public string EventLogPath { get; set; } = "gravity-events.db";

    /// <summary>Gets per-database settings that override databases.json (connection string, password, partitions).</summary>
    public IDictionary<string, GravityDatabaseOptions> Databases { get; } = new Dictionary<string, GravityDatabaseOptions>(StringComparer.Ordinal);

    /// <summary>Gets or sets how many key-hash partitions (parallel writer transactions) each database gets.</summary>
    /// <value>The default value is <see langword="null"/>: 1 for SQLite, 4 for server databases.</value>
    public int? Partitions { get; set; }

    /// <summary>Gets or sets the most events read from the source at once.</summary>
    /// <value>The default value is 1000.</value>
    public int ReadBatchSize { get; set; } = 1000;

    /// <summary>Gets or sets the most row changes one partition commits in one transaction.</summary>
    /// <value>The default value is 500.</value>
    public int MaxBatchRows { get; set; } = 500;

    /// <summary>Gets or sets how many events may wait in one partition's queue before the reader waits.</summary>
    /// <value>The default value is 4096.</value>
    public int PartitionQueueCapacity { get; set; } = 4096;

    /// <summary>Gets or sets how often the source is polled for events appended by other processes (in-process appends wake the reader at once).</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets how long an idle partition may leave its checkpoint behind before it writes it on its own.</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the delay before the first retry of a batch that failed transiently; later retries double it.</summary>
    /// <value>The default value is 100 milliseconds.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Gets or sets the longest delay between retries.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how long start-up may take to reach the databases and prepare their tables before the host fails to start.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan StartupTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long a partition taken from this instance (a consumer-group rebalance, a released claim) may
    /// take to commit the batches it holds before they are rolled back. The next owner waits for the hand-over, and
    /// re-reads whatever was rolled back from the databases' checkpoints.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan HandOverTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Gets or sets how long one attempt to publish a batch of synced events may take before it counts as failed. Failed
    /// publishes are retried with <see cref="RetryBaseDelay"/> doubling up to <see cref="RetryMaxDelay"/>, for as long as
    /// it takes; meanwhile the events stay queued in the target database, so neither an outage nor a restart loses them.
    /// </summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan ExportTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how often outbox relays look for committed events.</summary>
    /// <value>The default value is 200 milliseconds.</value>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromMilliseconds(200);
}
