namespace Gravity.Sync.Exporters;

/// <summary>Announces that an event was applied to a view (the payload of an exporter's "synced" event).</summary>
public sealed class SyncedEvent
{
    /// <summary>Gets the original event's id.</summary>
    public required string EventId { get; init; }

    /// <summary>Gets the original event's name.</summary>
    public required string EventName { get; init; }

    /// <summary>Gets the database the event was applied to.</summary>
    public required string Database { get; init; }

    /// <summary>Gets the table.</summary>
    public required string Table { get; init; }

    /// <summary>Gets the row key as a JSON array.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the source position of the event.</summary>
    public required long Position { get; init; }

    /// <summary>Gets the source the position belongs to (for a partitioned source such as Kafka, the partition's name).</summary>
    public string? Source { get; init; }

    /// <summary>Gets the original event's <c>traceparent</c>, so consumers can continue its trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the original event's <c>tracestate</c>.</summary>
    public string? TraceState { get; init; }
}
