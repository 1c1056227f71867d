using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>
/// Commits offsets to the consumer group and asks for watermarks. It never subscribes (so it never joins the group's
/// rebalances); committing explicit offsets needs only the group id. Calls are serialized: a consumer handle is not
/// meant for concurrent use.
/// </summary>
internal sealed class KafkaCommitter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly IConsumer<Ignore, Ignore> _consumer;

    public KafkaCommitter(KafkaClients clients, string topic, ILogger logger)
    {
        _consumer = new ConsumerBuilder<Ignore, Ignore>(clients.ConsumerConfig(clients.Options.GroupId))
            .SetErrorHandler((_, error) => logger.ClientError(topic, error.Reason))
            .Build();
    }

    /// <summary>Commits <paramref name="nextOffset"/> (the first offset not yet committed by every database).</summary>
    public void Commit(TopicPartition partition, long nextOffset)
    {
        lock (_gate)
        {
            _consumer.Commit([new TopicPartitionOffset(partition, new Offset(nextOffset))]);
        }
    }

    public WatermarkOffsets Watermarks(TopicPartition partition, TimeSpan timeout)
    {
        lock (_gate)
        {
            return _consumer.QueryWatermarkOffsets(partition, timeout);
        }
    }

    public void Dispose() => _consumer.Dispose();
}
