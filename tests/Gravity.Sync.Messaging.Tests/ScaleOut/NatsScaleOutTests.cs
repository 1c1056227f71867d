using Gravity.Sync.Messaging.Tests.Infrastructure;
using Gravity.Sync.Nats.Internal;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Messaging.Tests.ScaleOut;

/// <summary>
/// Several synchronizers sharing a partitioned JetStream stream through claims (real nats-server) and writing one
/// PostgreSQL database, while instances join and leave under a steady flow of events.
/// </summary>
public sealed class NatsScaleOutTests
{
    private const int Partitions = 6;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Instances_joining_and_leaving_apply_every_key_version_once_in_order_with_one_writer_per_partition()
    {
        const int keys = 24;
        await using var database = await ScaleOutDatabase.CreateAsync();
        await using var stream = NatsTestServer.Create(partitions: Partitions);
        var instances = new List<SyncHarness>();
        try
        {
            Task<SyncHarness> StartAsync(string name) => SyncHarness.StartAsync(
                _ => SyncHarness.Rules(UserModel.Rules("views"), database.DefinitionFor(name)),
                o => { o.Partitions = 2; o.CheckpointInterval = TimeSpan.FromMilliseconds(100); },
                b =>
                {
                    b.AddPostgreSql();
                    b.AddNatsJetStreamSource(o =>
                    {
                        stream.Configure(o);
                        o.ClaimTtl = TimeSpan.FromSeconds(3);
                        o.InstanceId = name;
                    });
                });

            async Task JoinAndLeaveAsync()
            {
                await Task.Delay(300, Cancel);
                instances.Add(await ScaleOutAssertions.WithPartitionsAsync(await StartAsync("nats-b")));
                instances.Add(await ScaleOutAssertions.WithPartitionsAsync(await StartAsync("nats-c")));
                await instances[0].StopAsync(); // a leaves: its partitions are handed over after it committed them
                await Task.Delay(300, Cancel);
            }

            instances.Add(await ScaleOutAssertions.WithPartitionsAsync(await StartAsync("nats-a")));
            var versions = await KeyedVersions.PublishUntilAsync((events, token) => stream.PublishAsync(events, token), keys, TimeSpan.FromMilliseconds(150), JoinAndLeaveAsync(), Cancel);

            await ScaleOutAssertions.ViewIsTheFoldWithOneWriterPerPartitionAsync(database, keys, versions, TimeSpan.FromSeconds(30));
            var writers = await database.WritersAsync();
            Assert.True(writers.Count == 3, "every instance should have written some partitions: " + string.Join("; ", writers));
            Assert.Equal(Partitions, (await database.PartitionsWrittenAsync()).Count);
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_partitioned_publisher_sends_each_key_to_its_partition_subject()
    {
        await using var stream = NatsTestServer.Create(partitions: 4);
        await stream.PublishAsync([UserModel.Created(7, "a"), UserModel.Renamed(7, "b", 2), UserModel.Created(8, "c")], Cancel);

        var info = await stream.JetStream.GetStreamAsync(stream.StreamName, new NATS.Client.JetStream.Models.StreamInfoRequest { SubjectsFilter = stream.SubjectPrefix + ".>" }, Cancel);
        var subjects = info.Info.State.Subjects!;
        var (seven, eight) = (NatsPartitioning.PartitionOf("7", 4), NatsPartitioning.PartitionOf("8", 4));
        Assert.Equal(1, subjects[$"{stream.SubjectPrefix}.{seven}.userRenamed"]);
        Assert.True(subjects.ContainsKey($"{stream.SubjectPrefix}.{seven}.userCreated") && subjects.ContainsKey($"{stream.SubjectPrefix}.{eight}.userCreated"), string.Join(", ", subjects.Keys));
        Assert.Equal(3, subjects.Values.Sum());
    }

    [Fact]
    public void The_partition_of_a_key_is_its_32_bit_FNV_1a_hash_modulo_the_partition_count_so_any_publisher_can_compute_it()
    {
        Assert.Equal(839689206 % 1000, NatsPartitioning.PartitionOf("7", 1000));
        Assert.Equal(39875499 % 64, NatsPartitioning.PartitionOf("user-42", 64));
    }
}
