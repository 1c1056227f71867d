namespace Gravity.Sync.Events;

/// <summary>
/// A source whose events are ordered only within partitions, such as a Kafka topic. The synchronizer reads each
/// partition as its own <see cref="IEventSource"/>: positions are per partition, and each database keeps separate
/// checkpoints and parked entries under the partition's <see cref="IEventSource.Name"/>.
/// </summary>
/// <remarks>
/// Per-key order holds when every event of a key lands in the same partition (publishers key messages by the rule key).
/// A row fed from several partitions has no source order; its stored-position guard then keeps the change with the
/// highest position, which is deterministic across replays but is not "the latest" in any wall-clock sense.
/// </remarks>
public interface IPartitionedEventSource
{
    /// <summary>Gets the source name, for logs.</summary>
    string Name { get; }

    /// <summary>Lists the partitions, each an ordered source with its own positions.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The partitions; their names must be distinct and stable across restarts.</returns>
    ValueTask<IReadOnlyList<IEventSource>> GetPartitionsAsync(CancellationToken cancellationToken = default);
}
