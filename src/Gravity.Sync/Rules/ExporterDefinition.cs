namespace Gravity.Sync.Rules;

/// <summary>An exporter (an entry of exporter.json): where "synced" events are published after an event is applied.</summary>
public sealed class ExporterDefinition
{
    /// <summary>Gets the name rules refer to.</summary>
    public required string Name { get; init; }

    /// <summary>Gets the type, e.g. <c>kafka</c>, <c>nats</c> or <c>restful_api</c>.</summary>
    public required string Type { get; init; }

    /// <summary>Gets the other settings as text (host, port, topic, url, ...), interpreted by the exporter of that type.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Gets the file the exporter was declared in.</summary>
    public string? File { get; init; }
}
