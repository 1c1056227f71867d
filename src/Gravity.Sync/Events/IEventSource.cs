namespace Gravity.Sync.Events;

/// <summary>
/// Where the synchronizer pulls events from. A source hands out batches in position order and keeps no consumer state:
/// each target stores its own checkpoint, in its own transaction with its rows, and asks again from there.
/// </summary>
/// <remarks>
/// The embedded SQLite log is the default. Broker-backed sources (NATS JetStream, Kafka) implement the same contract:
/// a JetStream stream sequence or a Kafka partition offset is the position.
/// </remarks>
public interface IEventSource
{
    /// <summary>Gets the source name; checkpoints and parked events are recorded under it.</summary>
    string Name { get; }

    /// <summary>Reads the events after a position, in position order.</summary>
    /// <param name="afterPosition">The last position already seen; 0 reads from the beginning.</param>
    /// <param name="maxCount">The most events to return.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Up to <paramref name="maxCount"/> events, or none when the source has nothing newer.</returns>
    ValueTask<IReadOnlyList<GravityEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default);

    /// <summary>Waits until the source may have events after a position, or the timeout passes.</summary>
    /// <param name="afterPosition">The last position seen.</param>
    /// <param name="timeout">The longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when it is worth reading again.</returns>
    ValueTask WaitAsync(long afterPosition, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Gets the position of the newest event, for lag and status.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The newest position, or 0 when the source is empty.</returns>
    ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default);
}
