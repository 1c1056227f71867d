using Gravity.Sync.Events;

namespace Gravity.Sync.EventLog;

/// <summary>Convenience overloads of <see cref="IGravityEventLog"/>.</summary>
public static class GravityEventLogExtensions
{
    /// <summary>Appends one event durably.</summary>
    /// <param name="log">The log.</param>
    /// <param name="gravityEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>The event's position.</returns>
    public static async ValueTask<long> AppendAsync(this IGravityEventLog log, GravityEventData gravityEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(gravityEvent);
        var positions = await log.AppendAsync([gravityEvent], cancellationToken).ConfigureAwait(false);
        return positions[0];
    }
}
