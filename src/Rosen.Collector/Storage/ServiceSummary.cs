namespace Rosen.Collector.Storage;

/// <summary>A service seen in collected spans.</summary>
/// <param name="Name">The service name.</param>
/// <param name="SpanCount">How many spans it emitted in the window.</param>
/// <param name="ErrorCount">How many of them failed.</param>
/// <param name="Instances">How many distinct instances emitted them.</param>
/// <param name="LastSeen">The start of its latest span.</param>
public sealed record ServiceSummary(string Name, int SpanCount, int ErrorCount, int Instances, DateTimeOffset LastSeen);
