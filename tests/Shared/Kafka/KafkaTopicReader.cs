using System.Text;
using Confluent.Kafka;

namespace Twist.Testing.Kafka;

/// <summary>Reads a mock-cluster topic from the beginning, as another system would, without joining a consumer group.</summary>
public static class KafkaTopicReader
{
    /// <summary>
    /// Reads every partition of <paramref name="topic"/> from the start until <paramref name="until"/> holds for what
    /// was read or a generous deadline passes; returns the messages per partition in offset order.
    /// </summary>
    public static List<ConsumeResult<string, byte[]>> Read(string topic, int partitions, Func<IReadOnlyList<ConsumeResult<string, byte[]>>, bool> until, CancellationToken cancellationToken, TimeSpan? within = null)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = KafkaMockCluster.BootstrapServers,
            GroupId = "twist-test-reader", // required by the client; never joined (assign, no commit)
            EnableAutoCommit = false,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        var received = new List<ConsumeResult<string, byte[]>>();
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(30));
        while (!until(received) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { IsPartitionEOF: false } result)
            {
                received.Add(result);
            }
        }

        consumer.Close();
        return received;
    }

    public static string? Header(this ConsumeResult<string, byte[]> result, string name) =>
        result.Message.Headers is { } headers && headers.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
}
