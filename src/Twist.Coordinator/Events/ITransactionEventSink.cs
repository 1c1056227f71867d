namespace Twist.Coordinator.Events;

/// <summary>
/// Receives the coordinator's <see cref="TransactionEvent"/>s, e.g. to publish them to a message broker. Register one
/// with <c>AddTransactionEventSink</c> on the coordinator builder.
/// </summary>
/// <remarks>
/// <para>
/// Sinks are called off the transaction path: the engine queues each event in a bounded in-process channel and a
/// background dispatcher calls every sink, one event at a time in the order they happened, retrying a failed call
/// with capped back-off (<see cref="TransactionEventOptions"/>). A transaction is never slowed or failed by a sink.
/// </para>
/// <para>
/// Delivery is <b>at most once across a coordinator crash</b>: queued events live only in memory and are lost if the
/// process dies (a durable outbox is future work). An event that cannot be queued (the queue is full) or that a sink
/// keeps failing is dropped with a warning log (event id 1300 <c>TransactionEventDropped</c>) and counted by the
/// <c>twist.coordinator.events.dropped</c> metric, never silently.
/// </para>
/// </remarks>
public interface ITransactionEventSink
{
    /// <summary>Publishes one event. Throw to have the call retried; honour <paramref name="cancellationToken"/>.</summary>
    /// <param name="transactionEvent">The event.</param>
    /// <param name="cancellationToken">Cancelled when the attempt times out or the host stops.</param>
    /// <returns>A task that completes when the event is published.</returns>
    ValueTask PublishAsync(TransactionEvent transactionEvent, CancellationToken cancellationToken);
}
