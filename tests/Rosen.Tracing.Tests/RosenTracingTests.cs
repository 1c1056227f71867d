using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Rosen.Tracing;
using Twist;

namespace Rosen.Tracing.Tests;

public sealed class RosenTracingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static (TracerProvider Provider, List<Activity> Spans) Start()
    {
        var spans = new List<Activity>();
        var provider = Sdk.CreateTracerProviderBuilder().AddRosenTracing().AddInMemoryExporter(spans).Build()!;
        return (provider, spans);
    }

    [Fact]
    public async Task AddRosenTracing_records_the_coordinators_spans_with_the_transaction_id()
    {
        var (provider, spans) = Start();
        using var _ = provider;
        var db = Path.Combine(Path.GetTempPath(), $"rosen-{Guid.NewGuid():N}.db");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddTwistCoordinator(o => o.UseSqlite(db));
        using (var host = builder.Build())
        {
            await host.StartAsync(Ct);
            var tx = await host.Services.GetRequiredService<ITwistCoordinator>().BeginAsync(null, Ct);
            await host.Services.GetRequiredService<ITwistCoordinator>().CancelAsync(tx.Tid, Ct);
            await host.StopAsync(Ct);
            provider.ForceFlush();

            var mine = spans.Where(s => (string?)s.GetTagItem(RosenTelemetry.TransactionIdKey) == tx.Tid).Select(s => s.OperationName).ToArray();
            Assert.Contains("twist.begin", mine);
            Assert.Contains("twist.cancel", mine);
        }

        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(db + suffix);
        }
    }

    [Fact]
    public void Spans_inside_a_business_transaction_are_stamped_with_its_id()
    {
        var (provider, spans) = Start();
        using var _ = provider;
        using var coordinatorSource = new ActivitySource("Twist.Coordinator");
        using var clientSource = new ActivitySource("Twist.Client");

        using (var parent = coordinatorSource.StartActivity("twist.confirm"))
        {
            parent!.SetTag(RosenTelemetry.TransactionIdKey, "tx-42");
            using var inner = clientSource.StartActivity("child without the tag");
        }

        provider.ForceFlush();
        var child = Assert.Single(spans, s => s.OperationName == "child without the tag");
        Assert.Equal("tx-42", child.GetTagItem(RosenTelemetry.TransactionIdKey));
    }

    [Fact]
    public void Trace_context_and_the_transaction_id_cross_a_message_boundary_in_headers()
    {
        var (provider, spans) = Start();
        using var _ = provider;
        var headers = new Dictionary<string, string>();
        ActivityTraceId sentTrace;
        using (var send = MessageTracing.StartSend("nats", "twist.transaction.tx-7.eventEmitted"))
        {
            Baggage.SetBaggage(RosenTelemetry.TransactionIdKey, "tx-7");
            sentTrace = send!.TraceId;
            MessageTracing.Inject(headers, (h, k, v) => h[k] = v);
        }

        Baggage.Current = default; // the receiving side starts with nothing
        var propagated = MessageTracing.Extract(headers, (h, k) => h.TryGetValue(k, out var v) ? [v] : null);
        using (MessageTracing.StartProcess("nats", "twist.transaction.tx-7.eventEmitted", propagated))
        {
        }

        provider.ForceFlush();
        Assert.Contains("traceparent", headers.Keys);
        var process = Assert.Single(spans, s => s.Kind == ActivityKind.Consumer);
        Assert.Equal(sentTrace, process.TraceId);
        Assert.Equal("tx-7", process.GetTagItem(RosenTelemetry.TransactionIdKey));
        Assert.Equal("nats", process.GetTagItem("messaging.system"));
        Assert.Equal("process", process.GetTagItem("messaging.operation.type"));
    }

    [Fact]
    public void A_batch_is_one_consumer_span_linked_to_every_message()
    {
        var (provider, spans) = Start();
        using var _ = provider;
        var contexts = new List<OpenTelemetry.Context.Propagation.PropagationContext>();
        for (var i = 0; i < 3; i++)
        {
            using var send = MessageTracing.StartSend("kafka", "users");
            var headers = new Dictionary<string, string>();
            MessageTracing.Inject(headers, (h, k, v) => h[k] = v);
            contexts.Add(MessageTracing.Extract(headers, (h, k) => h.TryGetValue(k, out var v) ? [v] : null));
        }

        using (MessageTracing.StartProcessBatch("kafka", "users", contexts))
        {
        }

        provider.ForceFlush();
        var batch = Assert.Single(spans, s => s.Kind == ActivityKind.Consumer);
        Assert.Equal(3, batch.Links.Count());
        Assert.Equal(spans.Where(s => s.Kind == ActivityKind.Producer).Select(s => s.TraceId.ToHexString()).Order(), batch.Links.Select(l => l.Context.TraceId.ToHexString()).Order());
        Assert.Equal(3, batch.GetTagItem("messaging.batch.message_count"));
    }
}
