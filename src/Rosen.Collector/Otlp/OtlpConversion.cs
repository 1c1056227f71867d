using Rosen.Collector.Storage;

namespace Rosen.Collector.Otlp;

/// <summary>The spans an export request yielded, and how many were rejected (with the first reason).</summary>
internal sealed record OtlpConversion(IReadOnlyList<CollectedSpan> Accepted, int Rejected, string? FirstError);
