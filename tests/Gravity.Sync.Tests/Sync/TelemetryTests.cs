using System.Collections.Concurrent;
using System.Diagnostics;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Tests.Infrastructure;

namespace Gravity.Sync.Tests.Sync;

public sealed class TelemetryTests
{
    [Fact]
    public async Task Each_batch_span_links_to_the_traces_of_the_events_it_applied()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GravitySyncTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var sync = await SyncHarness.StartAsync(dir => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir)));

        using var publish = new Activity("publish").SetIdFormat(ActivityIdFormat.W3C).Start();
        await sync.AppendAsync(UserModel.Created(1, "a").Name, UserModel.Created(1, "a").Json, TestContext.Current.CancellationToken);
        publish.Stop();
        await sync.WaitForCatchUpAsync();

        var span = Assert.Single(spans, s => s.Links.Any(l => l.Context.TraceId == publish.TraceId));
        Assert.Equal("gravity.sync.apply", span.OperationName);
        Assert.Equal(ActivityKind.Consumer, span.Kind);
        Assert.Equal("views", span.GetTagItem(GravitySyncTelemetry.DatabaseAttribute));
        Assert.NotEqual(publish.TraceId, span.TraceId); // linked, not parented: a batch serves many publishers
    }
}
