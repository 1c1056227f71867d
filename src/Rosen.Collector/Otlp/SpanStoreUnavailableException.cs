namespace Rosen.Collector.Otlp;

/// <summary>The span store failed to write; OTLP senders are told to retry (HTTP 503, gRPC UNAVAILABLE).</summary>
internal sealed class SpanStoreUnavailableException(string message, Exception inner) : Exception(message, inner);
