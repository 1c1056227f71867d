using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using Twist.Coordinator.Events;
using Twist.Coordinator.Nats.Tests.Infrastructure;
using Twist.Transactions;

namespace Twist.Coordinator.Nats.Tests;

/// <summary>JetStream mode against a real nats-server: the stream is created, holds the events, and de-duplicates by event id.</summary>
public sealed class JetStreamEventOutputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task JetStream_mode_stores_every_event_in_the_stream_and_deduplicates_a_repeated_one()
    {
        var url = NatsTestServer.UrlOrSkip();
        var prefix = NatsEventOutputTests.UniquePrefix();
        var streamName = $"TWIST_TEST_{Guid.NewGuid():N}";
        await using var nats = NatsTestServer.Connect(url);
        var js = new NatsJSContext(nats);
        try
        {
            await using var participant = await Participant.StartAsync();
            await using var host = await CoordinatorHost.StartAsync(b => b.AddNatsEventOutput(o =>
            {
                o.Url = url;
                o.SubjectPrefix = prefix;
                o.UseJetStream = true;
                o.StreamName = streamName;
            }));

            var tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
            await host.Coordinator.RegisterAsync(tid, [new ParticipantLink(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
            Assert.Equal(TransactionStatus.Confirmed, (await host.Coordinator.ConfirmAsync(tid, cancellationToken: Ct)).Status);

            var stream = await Eventually.GetAsync(() => StreamAsync(js, streamName), s => s?.Info.State.Messages == 5);
            Assert.NotNull(stream);
            Assert.Equal(5, (int)stream.Info.State.Messages);
            Assert.Equal([$"{prefix}.>"], stream.Info.Config.Subjects);

            var stored = await ReadAllAsync(js, streamName);
            Assert.Equal(
                [TransactionEventKind.Begun, TransactionEventKind.ParticipantRegistered, TransactionEventKind.Decided, TransactionEventKind.ParticipantConfirmed, TransactionEventKind.Completed],
                stored.Select(m => m.Event.Kind));
            Assert.All(stored, m =>
            {
                Assert.Equal($"{prefix}.{tid}.eventEmitted", m.Subject);
                Assert.Equal(m.Event.EventId, m.Header("Nats-Msg-Id"));
                Assert.Equal(tid, m.Header("Twist-Transaction-ID"));
            });

            // A repeat of an event (as after a retried publish whose ack was lost) is stored once.
            var sink = host.Services.GetServices<ITransactionEventSink>().OfType<NatsTransactionEventSink>().Single();
            await sink.PublishAsync(stored[0].Event, Ct);
            Assert.Equal(5, (int)(await StreamAsync(js, streamName))!.Info.State.Messages);
            await sink.PublishAsync(stored[0].Event with { EventId = Guid.CreateVersion7().ToString("N") }, Ct);
            Assert.Equal(6, (int)(await StreamAsync(js, streamName))!.Info.State.Messages);
        }
        finally
        {
            try
            {
                await js.DeleteStreamAsync(streamName, Ct);
            }
            catch (NatsJSApiException)
            {
                // Not created: the test failed before the first publish.
            }
        }
    }

    private static async Task<INatsJSStream?> StreamAsync(NatsJSContext js, string name)
    {
        try
        {
            return await js.GetStreamAsync(name, cancellationToken: Ct);
        }
        catch (NatsJSApiException)
        {
            return null;
        }
    }

    private static async Task<List<ReceivedEvent>> ReadAllAsync(NatsJSContext js, string streamName)
    {
        var consumer = await js.CreateOrderedConsumerAsync(streamName, cancellationToken: Ct);
        var messages = new List<ReceivedEvent>();
        await foreach (var msg in consumer.FetchAsync(new NatsJSFetchOpts { MaxMsgs = 100, Expires = TimeSpan.FromSeconds(1) }, NatsRawSerializer<byte[]>.Default, Ct))
        {
            messages.Add(new ReceivedEvent(msg.Subject, msg.Headers, TransactionEventJson.Deserialize(msg.Data)));
        }

        return messages;
    }
}
