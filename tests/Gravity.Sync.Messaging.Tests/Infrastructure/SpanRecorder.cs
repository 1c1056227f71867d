using System.Collections.Concurrent;
using System.Diagnostics;

namespace Gravity.Sync.Messaging.Tests.Infrastructure;

/// <summary>Records spans of the named sources (and the tests' own) with a plain <see cref="ActivityListener"/>.</summary>
public sealed class SpanRecorder : IDisposable
{
    public const string TestSourceName = "Gravity.Sync.Messaging.Tests";

    public static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ActivityListener _listener;

    public SpanRecorder(params string[] sources)
    {
        _listener = new ActivityListener
        {
            // By name: touching TestSource here would create it while the listener is being added, and it would miss it.
            ShouldListenTo = source => source.Name == TestSourceName || sources.Contains(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public void Dispose() => _listener.Dispose();
}
