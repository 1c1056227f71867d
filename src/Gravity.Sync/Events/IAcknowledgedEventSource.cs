namespace Gravity.Sync.Events;

/// <summary>
/// A source that keeps consumer state on its server (a JetStream durable consumer, Kafka committed offsets). The
/// synchronizer tells it how far <em>every</em> database has committed, so the server-side state never runs ahead of
/// the targets: a crash makes the server redeliver, it never makes it forget.
/// </summary>
/// <remarks>
/// The targets' own checkpoints stay the truth the synchronizer resumes from; the acknowledgement is what lets the
/// server drop consumed messages (interest retention) and what its lag tools show.
/// </remarks>
public interface IAcknowledgedEventSource : IEventSource
{
    /// <summary>Acknowledges every event up to a position: all databases have committed them.</summary>
    /// <param name="position">The position every database has committed; it only grows between calls.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has the acknowledgement (or it was handed to the client).</returns>
    ValueTask AcknowledgeAsync(long position, CancellationToken cancellationToken = default);
}
