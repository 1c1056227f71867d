namespace Rosen.Collector.Storage;

/// <summary>
/// A dependency between two services derived from collected spans: a client span in <see cref="From"/> whose child
/// server span is in <see cref="To"/>, or a producer span in <see cref="From"/> that a consumer span in <see cref="To"/>
/// continues or links to.
/// </summary>
/// <param name="From">The calling or producing service.</param>
/// <param name="To">The called or consuming service.</param>
/// <param name="Messaging">Whether the edge is a message hop (producer to consumer) rather than a call.</param>
/// <param name="Count">How many hops were seen in the window.</param>
/// <param name="ErrorCount">How many of them failed on the receiving side.</param>
public sealed record ServiceEdge(string From, string To, bool Messaging, int Count, int ErrorCount);
