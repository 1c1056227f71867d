using Confluent.Kafka;
using Gravity.Sync.Messaging.Tests.Infrastructure;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Messaging.Tests.ScaleOut;

/// <summary>
/// Several synchronizers in one Kafka consumer group (librdkafka's mock cluster) writing one PostgreSQL database,
/// while instances join and leave under a steady flow of events.
/// </summary>
public sealed class KafkaScaleOutTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(PartitionAssignmentStrategy.CooperativeSticky)]
    [InlineData(PartitionAssignmentStrategy.Range)]
    public async Task Instances_joining_and_leaving_the_group_apply_every_key_version_once_in_order_with_one_writer_per_partition(PartitionAssignmentStrategy strategy)
    {
        const int keys = 24;
        await using var database = await ScaleOutDatabase.CreateAsync();
        await using var topic = new KafkaTestTopic(partitions: 6);
        var instances = new List<SyncHarness>();
        try
        {
            Task<SyncHarness> StartAsync(string name) => SyncHarness.StartAsync(
                _ => SyncHarness.Rules(UserModel.Rules("views"), database.DefinitionFor(name)),
                o => { o.Partitions = 2; o.CheckpointInterval = TimeSpan.FromMilliseconds(100); },
                b =>
                {
                    b.AddPostgreSql();
                    b.AddKafkaSource(o =>
                    {
                        topic.Configure(o);
                        o.PartitionAssignmentStrategy = strategy;

                        // The mock coordinator ends each rebalance round only when the session timeout passes (a real
                        // one ends it when every member rejoined): keep rounds short.
                        o.SessionTimeout = TimeSpan.FromSeconds(2);
                    });
                });

            async Task JoinAndLeaveAsync()
            {
                await Task.Delay(300, Cancel);
                instances.Add(await ScaleOutAssertions.WithPartitionsAsync(await StartAsync("kafka-b")));
                instances.Add(await ScaleOutAssertions.WithPartitionsAsync(await StartAsync("kafka-c")));
                await instances[0].StopAsync(); // a leaves: its partitions are handed over after it committed them
                await Task.Delay(300, Cancel);
            }

            instances.Add(await ScaleOutAssertions.WithPartitionsAsync(await StartAsync("kafka-a")));
            var versions = await KeyedVersions.PublishUntilAsync((events, token) => topic.PublishAsync(events, token), keys, TimeSpan.FromMilliseconds(150), JoinAndLeaveAsync(), Cancel);

            await ScaleOutAssertions.ViewIsTheFoldWithOneWriterPerPartitionAsync(database, keys, versions, TimeSpan.FromSeconds(30));
            var writers = await database.WritersAsync();
            Assert.True(writers.Count == 3, "every instance should have written some partitions: " + string.Join("; ", writers));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }
}
