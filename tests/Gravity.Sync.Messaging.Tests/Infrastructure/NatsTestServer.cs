using Gravity.Sync.Events;
using Gravity.Sync.Nats;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Gravity.Sync.Messaging.Tests.Infrastructure;

/// <summary>
/// A stream of its own on the real nats-server (TWIST_TEST_NATS, set by .ci/run), deleted when the test ends. The
/// publisher is a separate service provider, as a separate publishing application would be.
/// </summary>
public sealed class NatsTestServer : IAsyncDisposable
{
    public const string Variable = "TWIST_TEST_NATS";

    private readonly ServiceProvider _publisherServices;

    private NatsTestServer(string url, int partitions)
    {
        Url = url;
        Partitions = partitions;
        var id = Guid.NewGuid().ToString("N")[..12];
        StreamName = "GRAVITY_TEST_" + id;
        SubjectPrefix = "gravity-test." + id;
        ClaimBucket = "gravity-test-claims-" + id;
        Connection = new NatsConnection(NatsOpts.Default with { Url = url, Name = "gravity-messaging-tests" });
        JetStream = new NatsJSContext(Connection);
        _publisherServices = new ServiceCollection().AddLogging().AddGravityNatsPublisher(Configure).BuildServiceProvider(validateScopes: true);
        Publisher = _publisherServices.GetRequiredService<IGravityEventPublisher>();
    }

    public string Url { get; }

    public string StreamName { get; }

    public string SubjectPrefix { get; }

    /// <summary>Gets the key partitions (0: not partitioned).</summary>
    public int Partitions { get; }

    /// <summary>Gets the key-value bucket partition claims go to, one per test.</summary>
    public string ClaimBucket { get; }

    public NatsConnection Connection { get; }

    public NatsJSContext JetStream { get; }

    public IGravityEventPublisher Publisher { get; }

    /// <summary>Connects to the server CI starts; skips locally (fails in CI) when it is not configured.</summary>
    /// <param name="partitions">Key partitions for publishers and synchronizers (0: one ordered stream).</param>
    public static NatsTestServer Create(int partitions = 0)
    {
        var url = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(url))
        {
            // Skipped locally without the server, as the repository's other server tests are; a broken run in CI
            // (CI set, variable missing) fails instead.
            var message = $"{Variable} is not set: these tests need a nats-server with JetStream. .ci/run starts one and sets it; locally: nats-server -js -a 127.0.0.1 -p 4222 -sd $(mktemp -d) >/dev/null 2>&1 & export {Variable}=nats://127.0.0.1:4222";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        return new NatsTestServer(url, partitions);
    }

    public void Configure(GravityNatsOptions o)
    {
        o.Url = Url;
        o.StreamName = StreamName;
        o.SubjectPrefix = SubjectPrefix;
        o.Partitions = Partitions;
        o.ClaimBucket = ClaimBucket;
    }

    public async Task PublishAsync(IEnumerable<(string Name, string Json)> events, CancellationToken cancellationToken = default) =>
        await Publisher.PublishAsync([.. events.Select(e => GravityEventData.FromJson(e.Name, e.Json))], cancellationToken);

    /// <summary>Publishes a raw message, bypassing the Gravity publisher (for malformed input).</summary>
    public async Task PublishRawAsync(string subject, byte[] body, NatsHeaders? headers = null)
    {
        var ack = await JetStream.PublishAsync(subject, body, NatsRawSerializer<byte[]>.Default, headers: headers);
        ack.EnsureSuccess();
    }

    public async Task<ulong> AckFloorAsync(string consumer = "gravity-sync")
    {
        var info = await JetStream.GetConsumerAsync(StreamName, consumer);
        return info.Info.AckFloor?.StreamSeq ?? 0;
    }

    public async ValueTask DisposeAsync()
    {
        await _publisherServices.DisposeAsync();
        try
        {
            await JetStream.DeleteStreamAsync(StreamName);
        }
        catch (NatsJSApiException)
        {
        }

        try
        {
            await JetStream.DeleteStreamAsync("KV_" + ClaimBucket); // the claims bucket, when partitioned instances made one
        }
        catch (NatsJSApiException)
        {
        }

        await Connection.DisposeAsync();
    }
}
