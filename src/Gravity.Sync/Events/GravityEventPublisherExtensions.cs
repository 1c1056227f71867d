namespace Gravity.Sync.Events;

/// <summary>Convenience overloads of <see cref="IGravityEventPublisher"/>.</summary>
public static class GravityEventPublisherExtensions
{
    /// <summary>Publishes one event durably.</summary>
    /// <param name="publisher">The publisher.</param>
    /// <param name="gravityEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the publish.</param>
    /// <returns>A task that completes when the event is stored.</returns>
    public static ValueTask PublishAsync(this IGravityEventPublisher publisher, GravityEventData gravityEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(gravityEvent);
        return publisher.PublishAsync([gravityEvent], cancellationToken);
    }
}
