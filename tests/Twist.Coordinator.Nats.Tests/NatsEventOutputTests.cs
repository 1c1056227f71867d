using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Twist.Coordinator.Events;
using Twist.Coordinator.Nats.Tests.Infrastructure;
using Twist.Transactions;

namespace Twist.Coordinator.Nats.Tests;

/// <summary>The NATS event output against a real nats-server: subjects, order, headers, trace context.</summary>
public sealed class NatsEventOutputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Confirmed_transaction_publishes_its_lifecycle_in_order_with_the_coordinators_trace_context()
    {
        var url = NatsTestServer.UrlOrSkip();
        using var spans = new SpanRecorder();
        await using var subscriber = await EventSubscriber.StartAsync(url, "twist.transaction.>");
        await using var participant = await Participant.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(b => b.AddNatsEventOutput(o => o.Url = url));

        string tid;
        ActivityTraceId traceId;
        using (var root = SpanRecorder.TestSource.StartActivity("caller"))
        {
            traceId = root!.TraceId;
            tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
            await host.Coordinator.RegisterAsync(tid, [new ParticipantLink(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
            var confirmed = await host.Coordinator.ConfirmAsync(tid, cancellationToken: Ct);
            Assert.Equal(TransactionStatus.Confirmed, confirmed.Status);
        }

        var events = await subscriber.WaitForAsync(tid, TransactionEventKind.Completed);
        Assert.Equal(
            [TransactionEventKind.Begun, TransactionEventKind.ParticipantRegistered, TransactionEventKind.Decided, TransactionEventKind.ParticipantConfirmed, TransactionEventKind.Completed],
            events.Select(e => e.Event.Kind));
        Assert.All(events, e =>
        {
            Assert.Equal($"twist.transaction.{tid}.eventEmitted", e.Subject);
            Assert.Equal(tid, e.Header("Twist-Transaction-ID"));
            Assert.Equal(e.Event.Kind.ToString(), e.Header("Twist-Event"));
            Assert.Equal(traceId, ActivityContext.Parse(e.Header("traceparent")!, e.Header("tracestate")).TraceId);
        });

        var decided = events[2].Event;
        Assert.Equal(TransactionDecision.Confirm, decided.Decision);
        Assert.Null(decided.Reason);
        Assert.Equal(1, events[3].Event.ParticipantId);
        Assert.Equal(1, events[3].Event.Attempts);
        Assert.Equal(TransactionStatus.Confirmed, events[4].Event.Status);
        Assert.Equal(participant.Link(tid).ToString(), events[1].Event.ParticipantUri);

        // Each event is sent by a Producer span, a child of the span the step happened in (twist.begin, twist.register,
        // then twist.confirm); the message carries the Producer span's context, and the transaction id in its baggage.
        string[] steps = ["twist.begin", "twist.register", "twist.confirm", "twist.confirm", "twist.confirm"];
        Assert.All(events.Zip(steps), pair =>
        {
            var (e, step) = pair;
            var send = Assert.Single(spans.Spans, s => (s.GetTagItem("messaging.message.id") as string) == e.Event.EventId);
            Assert.Equal(ActivityKind.Producer, send.Kind);
            Assert.Equal("send twist.transaction.{transactionId}.eventEmitted", send.OperationName);
            Assert.Equal(("nats", e.Subject, tid), (send.GetTagItem("messaging.system"), send.GetTagItem("messaging.destination.name"), send.GetTagItem("twist.transaction.id")));
            Assert.Equal(send.Id, e.Header("traceparent"));
            Assert.Equal(spans.Span(step, tid).SpanId, send.ParentSpanId);
            Assert.Equal($"twist.transaction.id={tid}", e.Header("baggage"));
            Assert.Equal(e.Event.EventId, e.Header("Twist-Event-ID"));
        });
        Assert.Equal(5, events.Select(e => e.Event.EventId).Distinct().Count());
    }

    [Fact]
    public async Task Timed_out_transaction_publishes_decided_cancel_with_reason_timeout()
    {
        var url = NatsTestServer.UrlOrSkip();
        var prefix = UniquePrefix();
        await using var subscriber = await EventSubscriber.StartAsync(url, prefix + ".>");
        await using var participant = await Participant.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(b => b.AddNatsEventOutput(o => { o.Url = url; o.SubjectPrefix = prefix; }));

        var tid = (await host.Coordinator.BeginAsync(TimeSpan.FromMilliseconds(300), Ct)).Tid;
        await host.Coordinator.RegisterAsync(tid, [new ParticipantLink(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        var events = await subscriber.WaitForAsync(tid, TransactionEventKind.Completed);
        Assert.Equal(
            [TransactionEventKind.Begun, TransactionEventKind.ParticipantRegistered, TransactionEventKind.Decided, TransactionEventKind.ParticipantCancelled, TransactionEventKind.Completed],
            events.Select(e => e.Event.Kind));
        Assert.Equal(TransactionDecision.Cancel, events[2].Event.Decision);
        Assert.Equal("timeout", events[2].Event.Reason);
        Assert.Equal(TransactionStatus.Cancelled, events[4].Event.Status);
        Assert.Equal("timeout", events[4].Event.Reason);
        Assert.All(events, e => Assert.Equal($"{prefix}.{tid}.eventEmitted", e.Subject));
    }

    [Fact]
    public async Task Cancelled_transaction_publishes_decided_cancel_with_reason_requested()
    {
        var url = NatsTestServer.UrlOrSkip();
        var prefix = UniquePrefix();
        await using var subscriber = await EventSubscriber.StartAsync(url, prefix + ".>");
        await using var participant = await Participant.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(b => b.AddNatsEventOutput(o => { o.Url = url; o.SubjectPrefix = prefix; }));

        var tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
        await host.Coordinator.RegisterAsync(tid, [new ParticipantLink(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
        Assert.Equal(TransactionStatus.Cancelled, (await host.Coordinator.CancelAsync(tid, Ct)).Status);

        var events = await subscriber.WaitForAsync(tid, TransactionEventKind.Completed);
        var decided = Assert.Single(events, e => e.Event.Kind == TransactionEventKind.Decided).Event;
        Assert.Equal(TransactionDecision.Cancel, decided.Decision);
        Assert.Equal("requested", decided.Reason);
        Assert.Contains(events, e => e.Event.Kind == TransactionEventKind.ParticipantCancelled && e.Event.ParticipantId == 1);
        Assert.Contains(participant.Calls, c => c.Method == "DELETE" && c.Tid == tid);
    }

    [Fact]
    public async Task Nats_down_the_transaction_still_completes_and_the_loss_is_logged_and_counted()
    {
        // No server needed: the output points at a loopback port where nothing listens.
        await using var participant = await Participant.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(b => b
            .AddNatsEventOutput(o => { o.Url = $"nats://127.0.0.1:{NatsTestServer.ClosedPort()}"; o.ConnectTimeout = TimeSpan.FromMilliseconds(500); })
            .ConfigureTransactionEvents(o => { o.MaxAttempts = 2; o.RetryBaseDelay = TimeSpan.FromMilliseconds(10); o.RetryMaxDelay = TimeSpan.FromMilliseconds(20); o.SinkTimeout = TimeSpan.FromSeconds(2); }));

        var started = Stopwatch.StartNew();
        var tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
        await host.Coordinator.RegisterAsync(tid, [new ParticipantLink(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
        var confirmed = await host.Coordinator.ConfirmAsync(tid, cancellationToken: Ct);
        started.Stop();

        Assert.Equal(TransactionStatus.Confirmed, confirmed.Status);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"the transaction took {started.Elapsed}; publishing must not hold it up");
        Assert.True(
            await Eventually.TrueAsync(() => host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value) >= 5 && host.Logs.GetSnapshot().Count(r => r.Id.Id == 1300) >= 5, TimeSpan.FromSeconds(60)),
            "every event of the transaction is counted and logged as dropped");
        var drops = host.Logs.GetSnapshot().Where(r => r.Id.Id == 1300).ToArray();
        Assert.Contains(drops, r => r.Level == Microsoft.Extensions.Logging.LogLevel.Warning && r.Message.Contains(tid, StringComparison.Ordinal) && r.Message.Contains("Completed", StringComparison.Ordinal));
        Assert.All(host.Dropped.GetMeasurementSnapshot(), m => Assert.Equal("sink_failed", m.Tags["twist.event.drop.reason"]));
    }

    [Fact]
    public async Task Transaction_id_with_a_dot_stays_one_subject_token_and_is_exact_in_the_header()
    {
        var url = NatsTestServer.UrlOrSkip();
        var prefix = UniquePrefix();
        await using var subscriber = await EventSubscriber.StartAsync(url, prefix + ".*.eventEmitted");
        await using var host = await CoordinatorHost.StartAsync(b => b.AddNatsEventOutput(o => { o.Url = url; o.SubjectPrefix = prefix; }));
        var sink = host.Services.GetServices<ITransactionEventSink>().OfType<NatsTransactionEventSink>().Single();

        await sink.PublishAsync(new TransactionEvent { EventId = Guid.NewGuid().ToString("N"), TransactionId = "a.b", Kind = TransactionEventKind.Begun, Timestamp = DateTimeOffset.UtcNow }, Ct);

        var received = Assert.Single(await subscriber.WaitForAsync("a.b", TransactionEventKind.Begun));
        Assert.Equal($"{prefix}.a_b.eventEmitted", received.Subject);
        Assert.Equal("a.b", received.Header("Twist-Transaction-ID"));
    }

    internal static string UniquePrefix() => $"twisttest.{Guid.NewGuid():N}";
}
