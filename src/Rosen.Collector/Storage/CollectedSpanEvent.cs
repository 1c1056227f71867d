namespace Rosen.Collector.Storage;

/// <summary>A time-stamped event recorded on a span (for example an exception).</summary>
/// <param name="TimeUnixNano">When it happened, in nanoseconds since the Unix epoch.</param>
/// <param name="Name">The event name.</param>
/// <param name="Attributes">The event's attributes, values as text.</param>
public sealed record CollectedSpanEvent(long TimeUnixNano, string Name, IReadOnlyDictionary<string, string> Attributes);
