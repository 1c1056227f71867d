using System.Diagnostics.Metrics;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Events;
using Gravity.Sync.Messaging.Tests.Infrastructure;
using Gravity.Sync.Nats;
using Gravity.Sync.Rules;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Gravity.Sync.Messaging.Tests.Nats;

/// <summary>A <c>nats</c> exporter whose server goes away: synced events wait in the database and none is lost or doubled.</summary>
public sealed class NatsExporterOutageTests
{
    private const string RulesJson = """
        {"rules":[
          {"event":"userCreated","table":"users","method":"update","mapping":[{"source":"id","target":"id","primary":true},{"source":"name","target":"name"}]},
          {"event":"userCreated","database":"views","exporter":["synced"]}
        ]}
        """;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Synced_events_published_during_a_server_outage_arrive_exactly_once_per_event_after_it_returns()
    {
        await using var server = await PrivateNatsServer.StartAsync();
        var id = Guid.NewGuid().ToString("N")[..8];
        var streamName = "GRAVITY_OUTAGE_" + id;
        using var retries = new RetryCounter();
        await using var sync = await SyncHarness.StartAsync(
            dir => new GravityRuleSetBuilder()
                .AddDatabase(SyncHarness.Sqlite("views", dir))
                .AddRulesJson("rules.json", System.Text.Encoding.UTF8.GetBytes(RulesJson))
                .AddExporter(new ExporterDefinition { Name = "synced", Type = "nats" })
                .Build(),
            configure: o =>
            {
                o.ExportTimeout = TimeSpan.FromSeconds(2);
                o.RetryMaxDelay = TimeSpan.FromMilliseconds(300);
            },
            build: b =>
            {
                b.AddNatsExporter("synced", o =>
                {
                    o.Url = server.Url;
                    o.UseJetStream = true; // the broker acknowledges each synced event and drops repeats by id
                    o.StreamName = streamName;
                    o.Subject = "gravity-outage." + id;
                });
                b.Services.Configure<GravityNatsOptions>(o => o.ConfigureConnection = opts => opts with { ReconnectWaitMin = TimeSpan.FromMilliseconds(100), ReconnectWaitMax = TimeSpan.FromMilliseconds(300) });
            });
        var published = new List<string>();
        async Task AppendAsync(int from, int to)
        {
            for (var i = from; i < to; i++)
            {
                var e = GravityEventData.FromJson("userCreated", $$"""{"id":"u{{i}}","name":"n{{i}}"}""");
                await sync.Log.AppendAsync([e], Cancel);
                published.Add(e.Id);
            }
        }

        await using var reader = new NatsConnection(NatsOpts.Default with { Url = server.Url, Name = "outage-test-reader" });
        var js = new NatsJSContext(reader);
        await AppendAsync(0, 5);
        Assert.True(await Eventually.TrueAsync(async () => await CountAsync(js, streamName) == 5), "the first 5 synced events did not arrive");

        await server.StopAsync();
        await AppendAsync(5, 15);
        await sync.WaitForCatchUpAsync(); // the rows are committed while the exporter cannot publish
        Assert.True(await Eventually.TrueAsync(() => retries.Count >= 2), "the exporter was not retried during the outage");
        Assert.True(await Eventually.TrueAsync(() => QueueLength(sync) == 10), $"the queue gauge did not count the 10 synced events waiting for the server (it shows {QueueLength(sync)})");

        await server.RestartAsync();
        Assert.True(await Eventually.TrueAsync(async () => await CountAsync(js, streamName) >= 15, TimeSpan.FromSeconds(30)), "the synced events of the outage did not arrive");
        await Task.Delay(500, Cancel); // a late duplicate would show up here

        var received = await ReadEventIdsAsync(js, streamName);
        Assert.Equal(published, received); // every event, once, in source order
        Assert.True(await Eventually.TrueAsync(() => QueueLength(sync) == 0), $"the queue gauge did not return to 0 (it shows {QueueLength(sync)})");
    }

    /// <summary>gravity.sync.exports.queue.length of the host's exporter "synced" in database "views", as a metrics exporter reads it.</summary>
    private static long QueueLength(SyncHarness sync)
    {
        using var collector = new MetricCollector<long>(sync.Host.Services.GetRequiredService<IMeterFactory>(), GravitySyncTelemetry.Name, "gravity.sync.exports.queue.length");
        collector.RecordObservableInstruments();
        return collector.GetMeasurementSnapshot() is [var queue] && queue.Tags[GravitySyncTelemetry.ExporterAttribute] is "synced" && queue.Tags[GravitySyncTelemetry.DatabaseAttribute] is "views" ? queue.Value : -1;
    }

    private static async Task<long> CountAsync(NatsJSContext js, string streamName)
    {
        try
        {
            return (long)(await js.GetStreamAsync(streamName, cancellationToken: Cancel)).Info.State.Messages;
        }
        catch (Exception ex) when (ex is NatsJSApiException or NatsException or TimeoutException or OperationCanceledException && !Cancel.IsCancellationRequested)
        {
            return -1; // reconnecting, or the stream is not there yet
        }
    }

    private static async Task<List<string>> ReadEventIdsAsync(NatsJSContext js, string streamName)
    {
        var consumer = await js.CreateOrderedConsumerAsync(streamName, cancellationToken: Cancel);
        var ids = new List<string>();
        await foreach (var msg in consumer.FetchAsync(new NatsJSFetchOpts { MaxMsgs = 1000, Expires = TimeSpan.FromSeconds(1) }, NatsRawSerializer<byte[]>.Default, Cancel))
        {
            ids.Add(msg.Headers![GravityMessageHeaders.EventId].ToString());
        }

        return ids;
    }

    /// <summary>Counts the synchronizer's export retries (gravity.sync.exports.retries).</summary>
    private sealed class RetryCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public RetryCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == GravitySyncTelemetry.Name && instrument.Name == "gravity.sync.exports.retries")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }
}
