namespace Gravity.Sync.Targets;

/// <summary>
/// An event held back from one table of one database: either it failed (wrong types, a constraint) or an earlier event
/// of the same key did and it waits behind it. Entries without a key are dead letters: events that could not be mapped
/// to a key at all (malformed payload, missing key field); they block nothing.
/// </summary>
public sealed class ParkedEntry
{
    /// <summary>Gets the source name.</summary>
    public required string Source { get; init; }

    /// <summary>Gets the event's source position.</summary>
    public required long Position { get; init; }

    /// <summary>Gets the index of the row change among those the event made for this database (one event can feed several tables).</summary>
    public required int OpIndex { get; init; }

    /// <summary>Gets the table.</summary>
    public required string Table { get; init; }

    /// <summary>Gets the row key as a JSON array (e.g. <c>[42]</c> or <c>["eu",42]</c>), or <see langword="null"/> for a dead letter.</summary>
    public string? Key { get; init; }

    /// <summary>Gets the event id.</summary>
    public required string EventId { get; init; }

    /// <summary>Gets the event name.</summary>
    public required string EventName { get; init; }

    /// <summary>Gets the event payload, kept so the event can be replayed after the rules or the data are fixed.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Gets the publisher's key.</summary>
    public string? EventKey { get; init; }

    /// <summary>Gets the event's <c>traceparent</c>.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the event's <c>tracestate</c>.</summary>
    public string? TraceState { get; init; }

    /// <summary>Gets when the event was appended to the source.</summary>
    public DateTimeOffset EventTimestamp { get; init; }

    /// <summary>Gets why the entry is parked.</summary>
    public required string Reason { get; init; }

    /// <summary>Gets when it was parked.</summary>
    public required DateTimeOffset ParkedAt { get; init; }

    /// <summary>Gets how many times applying it failed (replays included).</summary>
    public int Attempts { get; init; } = 1;
}
