namespace Rosen.Collector.Storage;

/// <summary>A link from a span to another span, for example from a batch consumer to each message's producer.</summary>
/// <param name="TraceId">The linked span's trace id (32 lowercase hex digits).</param>
/// <param name="SpanId">The linked span's id (16 lowercase hex digits).</param>
public sealed record CollectedSpanLink(string TraceId, string SpanId);
