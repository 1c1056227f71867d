using Gravity.Sync.Events;

namespace Gravity.Sync.EventLog;

/// <summary>The embedded durable event log: publishers append, the synchronizer reads it as its <see cref="IEventSource"/>.</summary>
public interface IGravityEventLog : IEventSource
{
    /// <summary>Appends events durably, in order, in one transaction.</summary>
    /// <param name="events">The events.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>The positions of the events, in order. An event whose id is already in the log keeps its original position.</returns>
    ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<GravityEventData> events, CancellationToken cancellationToken = default);
}
