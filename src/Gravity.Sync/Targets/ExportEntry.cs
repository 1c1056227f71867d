namespace Gravity.Sync.Targets;

/// <summary>
/// A synced event waiting for one exporter: queued in the target's transaction together with the rows it announces, and
/// removed once the exporter has published it. So neither an exporter outage nor a crash between the commit and the
/// publish loses it; it is published at least once (exporters de-duplicate by event id where the broker can).
/// </summary>
public sealed class ExportEntry
{
    /// <summary>Gets the exporter name from exporter.json.</summary>
    public required string Exporter { get; init; }

    /// <summary>Gets the source the position belongs to.</summary>
    public required string Source { get; init; }

    /// <summary>Gets the event's source position.</summary>
    public required long Position { get; init; }

    /// <summary>Gets the index of the row change among those the event made for this database.</summary>
    public required int OpIndex { get; init; }

    /// <summary>Gets the original event id.</summary>
    public required string EventId { get; init; }

    /// <summary>Gets the original event name.</summary>
    public required string EventName { get; init; }

    /// <summary>Gets the table the row was written to.</summary>
    public required string Table { get; init; }

    /// <summary>Gets the row key as a JSON array.</summary>
    public required string Key { get; init; }

    /// <summary>Gets the original event's <c>traceparent</c>.</summary>
    public string? TraceParent { get; init; }

    /// <summary>Gets the original event's <c>tracestate</c>.</summary>
    public string? TraceState { get; init; }

    /// <summary>Gets when the entry was queued (the commit of its rows).</summary>
    public required DateTimeOffset QueuedAt { get; init; }
}
