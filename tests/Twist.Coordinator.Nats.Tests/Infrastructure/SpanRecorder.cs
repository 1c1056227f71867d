using System.Collections.Concurrent;
using System.Diagnostics;
using Twist.Coordinator.Diagnostics;

namespace Twist.Coordinator.Nats.Tests.Infrastructure;

/// <summary>Records the coordinator's spans (and the tests' own root spans) with a plain <see cref="ActivityListener"/>.</summary>
public sealed class SpanRecorder : IDisposable
{
    public const string TestSourceName = "Twist.Coordinator.Nats.Tests";

    public static readonly ActivitySource TestSource = new(TestSourceName);

    private readonly ActivityListener listener;

    public SpanRecorder()
    {
        listener = new ActivityListener
        {
            // By name: touching TestSource here would create it while the listener is being added, and it would miss it.
            ShouldListenTo = source => source.Name is TwistCoordinatorTelemetry.Name or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public Activity Span(string operation, string tid) =>
        Assert.Single(Spans, a => a.OperationName == operation && (a.GetTagItem(TwistCoordinatorTelemetry.TransactionIdAttribute) as string) == tid);

    public void Dispose() => listener.Dispose();
}
