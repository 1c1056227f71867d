namespace Rosen.Collector.Otlp;

/// <summary>The items (spans or log records) an export request yielded, and how many were rejected (with the first reason).</summary>
/// <typeparam name="T">The stored item type.</typeparam>
internal sealed record OtlpConversion<T>(IReadOnlyList<T> Accepted, int Rejected, string? FirstError);
