namespace Gravity.Sync.Events;

/// <summary>
/// Publishes domain events to wherever the synchronizer reads them: the embedded log (the default), a NATS JetStream
/// stream or a Kafka topic, depending on the packages registered. Outbox relays publish through it too.
/// </summary>
public interface IGravityEventPublisher
{
    /// <summary>Publishes events durably, in order.</summary>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    /// <returns>A task that completes when the destination has stored every event.</returns>
    /// <remarks>Publishing an event id again is safe: the embedded log and JetStream store it once; Kafka consumers see a repeat, which the views' position guard and upsert semantics absorb.</remarks>
    ValueTask PublishAsync(IReadOnlyList<GravityEventData> events, CancellationToken cancellationToken = default);
}
