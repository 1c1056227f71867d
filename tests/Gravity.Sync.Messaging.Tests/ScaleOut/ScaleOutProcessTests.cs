using System.Diagnostics;
using System.Globalization;
using Gravity.Sync.Messaging.Tests.Infrastructure;

namespace Gravity.Sync.Messaging.Tests.ScaleOut;

/// <summary>
/// The scale-out fault harness with real processes on loopback: synchronizer instances share a partitioned NATS stream
/// or a Kafka topic and one PostgreSQL database; one is killed with SIGKILL while events flow and another joins. Bounded
/// in time; the long form (bench/run-gravity-scaleout-bench.sh) only makes the throughput runs bigger.
/// </summary>
[Collection(nameof(ScaleOutProcessTests))]
public sealed class ScaleOutProcessTests
{
    private static readonly TimeSpan Lapse = TimeSpan.FromSeconds(3);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("nats")]
    [InlineData("kafka")]
    public async Task An_instance_killed_with_SIGKILL_loses_nothing_its_partitions_are_taken_over_and_every_key_stays_in_order(string source)
    {
        const int keys = 40;
        await using var database = await ScaleOutDatabase.CreateAsync();
        await using var stream = source == "nats" ? NatsTestServer.Create(partitions: 6) : null;
        await using var topic = source == "kafka" ? new KafkaTestTopic(partitions: 6) : null;
        await using var cluster = new ScaleOutCluster(database, stream is not null ? ScaleOutCluster.Nats(stream, Lapse) : ScaleOutCluster.Kafka(topic!, Lapse));
        Func<IEnumerable<(string Name, string Json)>, CancellationToken, Task> publish = stream is not null ? stream.PublishAsync : topic!.PublishAsync;
        await Task.WhenAll(new[] { "a", "b", "c" }.Select(n => cluster.StartAsync($"{source}-{n}", Cancel)));

        var killedAt = DateTimeOffset.MinValue;
        async Task KillAndJoinAsync()
        {
            var spread = await Eventually.TrueAsync(async () => (await database.WritersAsync()).Count == 3, TimeSpan.FromSeconds(20));
            Assert.True(spread, "the three instances did not all get partitions: " + string.Join("; ", await database.WritersAsync()) + cluster.Output());
            killedAt = DateTimeOffset.UtcNow;
            await cluster.Processes.Single(p => p.Name == $"{source}-b").KillAsync();
            await Task.Delay(1000, Cancel);
            await cluster.StartAsync($"{source}-d", Cancel);
            await Task.Delay(Lapse + TimeSpan.FromSeconds(2), Cancel);
        }

        var versions = await KeyedVersions.PublishUntilAsync(publish, keys, TimeSpan.FromMilliseconds(100), KillAndJoinAsync(), Cancel);

        await ScaleOutAssertions.ViewIsTheFoldWithOneWriterPerPartitionAsync(database, keys, versions, TimeSpan.FromSeconds(30));
        var takeOver = await database.TakeOverSecondsAsync($"{source}-b", killedAt);
        Assert.True(takeOver.Count > 0, "no partition of the killed instance was written by another one afterwards");
        ScaleOutResults.Write(string.Create(CultureInfo.InvariantCulture,
            $"{source}: kill -9 of 1 of 3 instances ({(source == "nats" ? "claim TTL" : "session timeout")} {Lapse.TotalSeconds:0} s): its {takeOver.Count} partitions written by others again after {takeOver.Min():0.0}-{takeOver.Max():0.0} s; {versions} versions of {keys} keys, every version applied once in order, no overlapping writers"));
    }

    [Fact]
    public async Task Events_per_second_with_one_two_and_three_instances_on_a_partitioned_stream_are_measured_and_the_view_is_the_fold()
    {
        if (!ScaleOutResults.Benchmark)
        {
            Assert.Skip("A measurement, not a fault test: bench/run-gravity-scaleout-bench.sh runs it (GRAVITY_SCALEOUT_BENCH=1).");
        }

        int keys = ScaleOutResults.Keys, versions = ScaleOutResults.Versions;
        foreach (var count in new[] { 1, 2, 3 })
        {
            await using var database = await ScaleOutDatabase.CreateAsync();
            await using var stream = NatsTestServer.Create(partitions: 6);
            await using var cluster = new ScaleOutCluster(database, ScaleOutCluster.Nats(stream, Lapse));
            await Task.WhenAll(Enumerable.Range(0, count).Select(i => cluster.StartAsync($"rate{count}-{i}", Cancel)));

            // Warm up until every instance writes (the claims have settled), then time a burst from 16 concurrent
            // publishers (each owns a sixteenth of the keys and publishes their versions in order).
            var warm = 0;
            var settled = await Eventually.TrueAsync(
                async () =>
                {
                    await stream.PublishAsync(KeyedVersions.Version(keys, ++warm), Cancel);
                    await Task.Delay(300, Cancel);
                    return (await database.WritersAsync()).Count == count && await database.KeysAtAsync(warm) == keys;
                },
                TimeSpan.FromSeconds(30));
            Assert.True(settled, $"{count} instances did not settle: " + string.Join("; ", await database.WritersAsync()) + cluster.Output());

            var started = Stopwatch.GetTimestamp();
            await PublishInParallelAsync(stream, keys, warm + 1, warm + versions);
            var published = Stopwatch.GetElapsedTime(started);
            var done = await Eventually.TrueAsync(async () => await database.KeysAtAsync(warm + versions) == keys, TimeSpan.FromSeconds(120));
            var elapsed = Stopwatch.GetElapsedTime(started);
            Assert.True(done, $"{count} instances did not apply the burst within 120 s" + cluster.Output());
            Assert.Equal(KeyedVersions.Final(keys, warm + versions), await database.UsersAsync());
            Assert.Empty(await database.OverlappingWritersAsync());
            var events = keys * versions;
            ScaleOutResults.Write(string.Create(CultureInfo.InvariantCulture,
                $"nats, {count} instance(s), 6 partitions, live burst: {events} events ({keys} keys x {versions} versions) applied in {elapsed.TotalSeconds:0.00} s = {events / elapsed.TotalSeconds:0} events/s (publishing took {published.TotalSeconds:0.00} s)"));
        }

        // A backlog: everything is in the stream before the instances start, so publishing does not bound the rate.
        foreach (var count in new[] { 1, 2, 3 })
        {
            await using var database = await ScaleOutDatabase.CreateAsync();
            await using var stream = NatsTestServer.Create(partitions: 6);
            await using var cluster = new ScaleOutCluster(database, ScaleOutCluster.Nats(stream, Lapse));
            await PublishInParallelAsync(stream, keys, 1, versions);
            await Task.WhenAll(Enumerable.Range(0, count).Select(i => cluster.StartAsync($"backlog{count}-{i}", Cancel)));
            var started = Stopwatch.GetTimestamp();
            var done = await Eventually.TrueAsync(async () => await database.KeysAtAsync(versions) == keys, TimeSpan.FromSeconds(180));
            var elapsed = Stopwatch.GetElapsedTime(started);
            Assert.True(done, $"{count} instances did not apply the backlog within 180 s" + cluster.Output());
            Assert.Equal(KeyedVersions.Final(keys, versions), await database.UsersAsync());
            Assert.Equal(KeyedVersions.EveryVersionOnceInOrder(keys, versions), await database.AppliedVersionsAsync());
            Assert.Empty(await database.OverlappingWritersAsync());
            var events = keys * versions;
            var writers = string.Join(", ", await database.WritersAsync());
            ScaleOutResults.Write(string.Create(CultureInfo.InvariantCulture,
                $"nats, {count} instance(s), 6 partitions, backlog: {events} events applied {elapsed.TotalSeconds:0.00} s after all instances were up = {events / elapsed.TotalSeconds:0} events/s; partitions written per instance: {writers}"));
        }
    }

    /// <summary>16 publishers, each owning a sixteenth of the keys and publishing their versions in order.</summary>
    private static Task PublishInParallelAsync(NatsTestServer stream, int keys, int from, int to) =>
        Task.WhenAll(Enumerable.Range(0, 16).Select(publisher => Task.Run(
            async () =>
            {
                var mine = Enumerable.Range(0, keys).Where(k => k % 16 == publisher).ToHashSet();
                for (var v = from; v <= to; v++)
                {
                    await stream.PublishAsync(KeyedVersions.Version(keys, v).Where((_, k) => mine.Contains(k)), Cancel);
                }
            },
            Cancel)));
}

/// <summary>The process scenarios start several hosts each; run them one at a time, apart from the other tests.</summary>
[CollectionDefinition(nameof(ScaleOutProcessTests), DisableParallelization = true)]
public sealed class ScaleOutProcessScenarios;
