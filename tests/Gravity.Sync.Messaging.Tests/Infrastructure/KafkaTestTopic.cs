using System.Collections.Concurrent;
using System.Text;
using Confluent.Kafka;
using Gravity.Sync.Events;
using Gravity.Sync.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Twist.Testing.Kafka;

namespace Gravity.Sync.Messaging.Tests.Infrastructure;

/// <summary>A topic of its own on the in-process mock cluster, and a publisher in a separate service provider (a separate app).</summary>
public sealed class KafkaTestTopic : IAsyncDisposable
{
    private readonly ServiceProvider _publisherServices;

    public KafkaTestTopic(int partitions)
    {
        Partitions = partitions;
        Topic = KafkaMockCluster.CreateTopic(partitions, "gravity-test");
        GroupId = "gravity-test-" + Guid.NewGuid().ToString("N")[..8];
        _publisherServices = new ServiceCollection().AddLogging().AddGravityKafkaPublisher(Configure).BuildServiceProvider(validateScopes: true);
        Publisher = _publisherServices.GetRequiredService<IGravityEventPublisher>();
    }

    public string Topic { get; }

    public string GroupId { get; }

    public int Partitions { get; }

    public IGravityEventPublisher Publisher { get; }

    public void Configure(GravityKafkaOptions o)
    {
        o.BootstrapServers = KafkaMockCluster.BootstrapServers;
        o.Topic = Topic;
        o.GroupId = GroupId;
    }

    public async Task PublishAsync(IEnumerable<(string Name, string Json)> events, CancellationToken cancellationToken = default) =>
        await Publisher.PublishAsync([.. events.Select(e => GravityEventData.FromJson(e.Name, e.Json))], cancellationToken);

    /// <summary>Produces a raw message, bypassing the Gravity publisher (for malformed input).</summary>
    public async Task ProduceRawAsync(string? key, string value, params (string Name, string Value)[] headers)
    {
        using var producer = new ProducerBuilder<string?, byte[]>(new ProducerConfig { BootstrapServers = KafkaMockCluster.BootstrapServers }).Build();
        var message = new Message<string?, byte[]> { Key = key, Value = Encoding.UTF8.GetBytes(value), Headers = [] };
        foreach (var (name, text) in headers)
        {
            message.Headers.Add(name, Encoding.UTF8.GetBytes(text));
        }

        await producer.ProduceAsync(Topic, message);
    }

    /// <summary>The group's committed offset per partition (-1001 when none).</summary>
    public long[] CommittedOffsets()
    {
        using var consumer = new ConsumerBuilder<Ignore, Ignore>(new ConsumerConfig { BootstrapServers = KafkaMockCluster.BootstrapServers, GroupId = GroupId }).Build();
        var committed = consumer.Committed(Enumerable.Range(0, Partitions).Select(p => new TopicPartition(Topic, p)), TimeSpan.FromSeconds(10));
        return [.. committed.OrderBy(c => c.Partition.Value).Select(c => c.Offset.Value)];
    }

    public async ValueTask DisposeAsync() => await _publisherServices.DisposeAsync();
}
