using System.Collections.Concurrent;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using Shared.Kafka;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>
/// Builds the Kafka clients from <see cref="GravityKafkaOptions"/> and owns the producers (one per cluster and
/// credentials, shared by the publisher and the exporters; producers are thread-safe and meant to be shared).
/// </summary>
internal sealed class KafkaClients(IOptions<GravityKafkaOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<(string Servers, string? Username, string? Password), Lazy<IProducer<string?, byte[]>>> _producers = new();

    public GravityKafkaOptions Options => options.Value;

    public ConsumerConfig ConsumerConfig(string groupId)
    {
        var config = new ConsumerConfig(Base(Options.BootstrapServers, Options.Username, Options.Password))
        {
            GroupId = groupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = true,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        };
        Options.ConfigureClient?.Invoke(config);
        return config;
    }

    /// <summary>The group member's configuration: subscribed, so the group coordinator assigns it partitions; it never reads or auto-commits.</summary>
    public ConsumerConfig GroupMemberConfig()
    {
        var session = (int)Options.SessionTimeout.TotalMilliseconds;
        var config = new ConsumerConfig(Base(Options.BootstrapServers, Options.Username, Options.Password))
        {
            GroupId = Options.GroupId,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            EnablePartitionEof = false,
            AutoOffsetReset = AutoOffsetReset.Latest,
            PartitionAssignmentStrategy = Options.PartitionAssignmentStrategy,
            SessionTimeoutMs = session,
            HeartbeatIntervalMs = Math.Max(100, Math.Min(3000, session / 3)),
        };
        Options.ConfigureClient?.Invoke(config);
        return config;
    }

    public AdminClientConfig AdminConfig()
    {
        var config = new AdminClientConfig(Base(Options.BootstrapServers, Options.Username, Options.Password));
        Options.ConfigureClient?.Invoke(config);
        return config;
    }

    public IProducer<string?, byte[]> Producer(string servers, string? username, string? password) =>
        _producers.GetOrAdd((servers, username, password), key => new Lazy<IProducer<string?, byte[]>>(() =>
        {
            var config = new ProducerConfig(Base(key.Servers, key.Username, key.Password))
            {
                // Idempotence keeps each partition's order through retries, with several batches in flight.
                EnableIdempotence = true,
                Acks = Acks.All,
                LingerMs = 1,
            };
            Options.ConfigureClient?.Invoke(config);
            return new ProducerBuilder<string?, byte[]>(config).Build();
        })).Value;

    public void Dispose()
    {
        foreach (var producer in _producers.Values.Where(p => p.IsValueCreated))
        {
            producer.Value.Flush(TimeSpan.FromSeconds(5));
            producer.Value.Dispose();
        }
    }

    private ClientConfig Base(string servers, string? username, string? password)
    {
        var config = new ClientConfig { BootstrapServers = servers, ClientId = "gravity-sync" };
        KafkaSecurity.Apply(config, Options.SecurityProtocol, Options.SaslMechanism, username, password);
        return config;
    }
}
