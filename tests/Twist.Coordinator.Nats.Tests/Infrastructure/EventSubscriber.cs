using System.Collections.Concurrent;
using NATS.Client.Core;
using Twist.Coordinator.Events;

namespace Twist.Coordinator.Nats.Tests.Infrastructure;

/// <summary>A plain NATS subscriber, as another system would be: records every event message on a subject filter.</summary>
public sealed class EventSubscriber : IAsyncDisposable
{
    private readonly NatsConnection connection;
    private readonly INatsSub<byte[]> subscription;
    private readonly Task pump;

    private EventSubscriber(NatsConnection connection, INatsSub<byte[]> subscription)
    {
        this.connection = connection;
        this.subscription = subscription;
        pump = Task.Run(async () =>
        {
            await foreach (var msg in subscription.Msgs.ReadAllAsync())
            {
                var transactionEvent = TransactionEventJson.Deserialize(msg.Data);
                Received.Enqueue(new ReceivedEvent(msg.Subject, msg.Headers, transactionEvent));
            }
        });
    }

    public ConcurrentQueue<ReceivedEvent> Received { get; } = new();

    public static async Task<EventSubscriber> StartAsync(string url, string subject)
    {
        var connection = NatsTestServer.Connect(url);
        var subscription = await connection.SubscribeCoreAsync(subject, serializer: NatsRawSerializer<byte[]>.Default);
        await connection.PingAsync(); // the server has the subscription once it answers a ping sent after it
        return new EventSubscriber(connection, subscription);
    }

    public IReadOnlyList<ReceivedEvent> For(string tid) => Received.Where(r => r.Event.TransactionId == tid).ToArray();

    /// <summary>Waits until <paramref name="tid"/> has an event of <paramref name="last"/> kind, then returns its events in arrival order.</summary>
    public async Task<IReadOnlyList<ReceivedEvent>> WaitForAsync(string tid, TransactionEventKind last)
    {
        await Eventually.TrueAsync(() => For(tid).Any(r => r.Event.Kind == last));
        return For(tid);
    }

    public async ValueTask DisposeAsync()
    {
        await subscription.DisposeAsync();
        await connection.DisposeAsync();
        await pump;
    }
}

/// <summary>One received event message.</summary>
public sealed record ReceivedEvent(string Subject, NatsHeaders? Headers, TransactionEvent Event)
{
    public string? Header(string name) => Headers is not null && Headers.TryGetValue(name, out var value) ? value.ToString() : null;
}
