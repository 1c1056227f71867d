using Confluent.Kafka;
using Gravity.Sync.Events;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>
/// A Kafka topic as the synchronizer's source. Kafka orders events only within a partition, so each partition is read
/// as its own ordered source (<see cref="KafkaPartitionSource"/>) whose position is the offset + 1; every database keeps
/// checkpoints per partition, and the consumer group's offsets are committed only with what every database committed.
/// </summary>
internal sealed class KafkaEventSource(KafkaClients clients, KafkaInstruments instruments, ILoggerFactory loggerFactory) : IPartitionedEventSource, IDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<KafkaEventSource>();
    private readonly Lock _gate = new();
    private KafkaCommitter? _committer;
    private List<KafkaPartitionSource> _partitions = [];

    public string Name => "kafka:" + clients.Options.Topic;

    public async ValueTask<IReadOnlyList<IEventSource>> GetPartitionsAsync(CancellationToken cancellationToken = default)
    {
        var options = clients.Options;
        var metadata = await Task.Run(
            () =>
            {
                // All topics: asking for one by name lets a broker with auto.create.topics.enable create it, and a
                // topic created by accident (with the broker's default partition count) would hide a typo.
                using var admin = new AdminClientBuilder(clients.AdminConfig()).Build();
                return admin.GetMetadata(options.MetadataTimeout);
            },
            cancellationToken).ConfigureAwait(false);
        var topic = metadata.Topics.FirstOrDefault(t => t.Topic == options.Topic);
        if (topic is null || topic.Error.IsError || topic.Partitions.Count == 0)
        {
            throw new InvalidOperationException($"Kafka topic \"{options.Topic}\" is not available on {options.BootstrapServers} ({topic?.Error.Reason ?? "not in the metadata"}); create it (its partition count bounds the synchronizer's parallelism per database) or fix {GravityKafkaOptions.SectionName}:Topic.");
        }

        lock (_gate)
        {
            DisposePartitions();
            _committer = new KafkaCommitter(clients, options.Topic, _logger);
            _partitions = [.. topic.Partitions.OrderBy(p => p.PartitionId).Select(p => new KafkaPartitionSource(clients, new TopicPartition(options.Topic, p.PartitionId), _committer, instruments, _logger))];
        }

        _logger.SourceConfigured(options.ToString(), _partitions.Count);
        return _partitions;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            DisposePartitions();
        }
    }

    private void DisposePartitions()
    {
        foreach (var partition in _partitions)
        {
            partition.Dispose();
        }

        _committer?.Dispose();
        _committer = null;
        _partitions = [];
    }
}
