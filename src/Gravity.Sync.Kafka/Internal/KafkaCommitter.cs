using Confluent.Kafka;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>
/// Commits offsets through the group member and asks for watermarks. Commits go only to partitions this instance
/// owns (a commit from a member that no longer owns a partition would move another member's offset back). Calls are
/// serialized; the member's poll thread never takes the lock, so a commit made while a rebalance callback waits for
/// the synchronizer goes through.
/// </summary>
internal sealed class KafkaCommitter(IConsumer<Ignore, Ignore> member, Func<TopicPartition, bool> owns)
{
    private readonly Lock _gate = new();

    /// <summary>Commits <paramref name="nextOffset"/> (the first offset not yet committed by every database).</summary>
    /// <returns><see langword="false"/> when the partition is no longer this instance's, so nothing was committed.</returns>
    public bool Commit(TopicPartition partition, long nextOffset)
    {
        if (!owns(partition))
        {
            return false;
        }

        lock (_gate)
        {
            member.Commit([new TopicPartitionOffset(partition, new Offset(nextOffset))]);
        }

        return true;
    }

    public WatermarkOffsets Watermarks(TopicPartition partition, TimeSpan timeout)
    {
        lock (_gate)
        {
            return member.QueryWatermarkOffsets(partition, timeout);
        }
    }
}
