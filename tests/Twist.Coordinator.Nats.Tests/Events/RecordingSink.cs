using System.Collections.Concurrent;
using Twist.Coordinator.Events;

namespace Twist.Coordinator.Nats.Tests.Events;

/// <summary>An in-memory sink whose behaviour per call is scripted: succeed, throw, or wait for a gate.</summary>
public sealed class RecordingSink : ITransactionEventSink
{
    private int calls;

    public ConcurrentQueue<TransactionEvent> Published { get; } = new();

    /// <summary>Decides each call by its 1-based number: return normally to accept, throw to fail.</summary>
    public Func<int, TransactionEvent, Task> Behaviour { get; set; } = (_, _) => Task.CompletedTask;

    public int Calls => Volatile.Read(ref calls);

    public IReadOnlyList<TransactionEvent> For(string tid) => Published.Where(e => e.TransactionId == tid).ToArray();

    public async ValueTask PublishAsync(TransactionEvent transactionEvent, CancellationToken cancellationToken)
    {
        await Behaviour(Interlocked.Increment(ref calls), transactionEvent).WaitAsync(cancellationToken);
        Published.Enqueue(transactionEvent);
    }
}
