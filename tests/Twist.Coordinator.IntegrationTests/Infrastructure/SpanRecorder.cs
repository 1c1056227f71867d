using System.Collections.Concurrent;
using System.Diagnostics;
using Twist.Coordinator.Diagnostics;

namespace Twist.Coordinator.IntegrationTests.Infrastructure;

/// <summary>Records the coordinator's spans (and a test caller's) while it lives; listeners are process-wide, so read by transaction id.</summary>
public sealed class SpanRecorder : IDisposable
{
    /// <summary>The source a test plays the calling service with.</summary>
    public static readonly ActivitySource Caller = new(CallerName);

    // By name: comparing with Caller itself would create it inside AddActivityListener, too late to be listened to.
    private const string CallerName = "Twist.Coordinator.IntegrationTests.Caller";

    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;

    public SpanRecorder()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is TwistCoordinatorTelemetry.Name or CallerName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>The ended spans tagged with <paramref name="tid"/>, in the order they ended.</summary>
    public IReadOnlyList<Activity> For(string tid) =>
        [.. stopped.Where(s => (string?)s.GetTagItem(TwistCoordinatorTelemetry.TransactionIdAttribute) == tid)];

    public void Dispose() => listener.Dispose();
}
