namespace Gravity.Sync.Events;

/// <summary>
/// An event as stored in a source: a domain event (name + JSON payload) with the position the source gave it and the
/// trace context of the code that published it.
/// </summary>
public sealed class GravityEvent
{
    /// <summary>Gets the event id, unique per source; the log ignores a second append with the same id.</summary>
    public required string Id { get; init; }

    /// <summary>Gets the event name rules match on, e.g. <c>userCreated</c>.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the publisher's key (e.g. the aggregate id), if it gave one. Views are keyed by their rules, not by this.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the payload: UTF-8 JSON, normally an object.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Gets the position in the source: strictly increasing in source order, never reused.</summary>
    public required long Position { get; init; }

    /// <summary>Gets when the event was appended to the source.</summary>
    public DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets the W3C <c>traceparent</c> of the publisher, if it was tracing.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the W3C <c>tracestate</c> of the publisher.</summary>
    public string? TraceState { get; init; }
}
