using Gravity.Sync.Messaging.Tests.Infrastructure;
using Gravity.Sync.Tests.Infrastructure;
using Twist.Testing.Kafka;

namespace Gravity.Sync.Messaging.Tests.ScaleOut;

/// <summary>
/// Starts synchronizer processes that share one source (a partitioned NATS stream, or a Kafka topic of the in-process
/// mock cluster) and write one PostgreSQL database; each instance's name is its application name there.
/// </summary>
public sealed class ScaleOutCluster : IAsyncDisposable
{
    private readonly string _directory = TempDirectory.Create();
    private readonly Dictionary<string, string> _source;
    private readonly List<SynchronizerProcess> _processes = [];

    public ScaleOutCluster(ScaleOutDatabase database, Dictionary<string, string> source)
    {
        Database = database;
        _source = source;
        File.WriteAllText(Path.Combine(_directory, "rules.json"), UserModel.Rules("views"));

        // The connection string comes per instance from the environment (Gravity:Sync:Databases:views:ConnectionString).
        File.WriteAllText(Path.Combine(_directory, "databases.json"), """{"databases":{"views":{"type":"postgres","connectionString":"Host=unused"}}}""");
    }

    public ScaleOutDatabase Database { get; }

    public IReadOnlyList<SynchronizerProcess> Processes => _processes;

    public static Dictionary<string, string> Nats(NatsTestServer stream, TimeSpan claimTtl) => new()
    {
        ["ScaleOut__Source"] = "nats",
        ["Gravity__Nats__Url"] = stream.Url,
        ["Gravity__Nats__StreamName"] = stream.StreamName,
        ["Gravity__Nats__SubjectPrefix"] = stream.SubjectPrefix,
        ["Gravity__Nats__Partitions"] = stream.Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Gravity__Nats__ClaimBucket"] = stream.ClaimBucket,
        ["Gravity__Nats__ClaimTtl"] = claimTtl.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    public static Dictionary<string, string> Kafka(KafkaTestTopic topic, TimeSpan sessionTimeout) => new()
    {
        ["ScaleOut__Source"] = "kafka",
        ["Gravity__Kafka__BootstrapServers"] = KafkaMockCluster.BootstrapServers,
        ["Gravity__Kafka__Topic"] = topic.Topic,
        ["Gravity__Kafka__GroupId"] = topic.GroupId,
        ["Gravity__Kafka__SessionTimeout"] = sessionTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
    };

    public async Task<SynchronizerProcess> StartAsync(string name, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string>(_source)
        {
            ["Gravity__Sync__RulesFiles__0"] = Path.Combine(_directory, "rules.json"),
            ["Gravity__Sync__DatabasesFile"] = Path.Combine(_directory, "databases.json"),
            ["Gravity__Sync__Databases__views__ConnectionString"] = Database.ConnectionStringFor(name),
            ["Gravity__Sync__Partitions"] = "2",
            ["Gravity__Sync__PollInterval"] = "00:00:00.050",
            ["Gravity__Sync__CheckpointInterval"] = "00:00:00.100",
            ["Gravity__Sync__RetryBaseDelay"] = "00:00:00.020",
            ["Gravity__Sync__RetryMaxDelay"] = "00:00:00.500",
        };
        if (settings["ScaleOut__Source"] == "nats")
        {
            settings["Gravity__Nats__InstanceId"] = name;
        }

        var process = await SynchronizerProcess.StartAsync(name, settings, cancellationToken);
        lock (_processes)
        {
            _processes.Add(process);
        }

        return process;
    }

    /// <summary>The instances' output, for a failure message.</summary>
    public string Output() => string.Join("\n", _processes.Select(p => $"--- {p.Name}:\n{p.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        TempDirectory.Delete(_directory);
    }
}
