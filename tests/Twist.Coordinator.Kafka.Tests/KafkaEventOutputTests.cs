using System.Diagnostics;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Events;
using Twist.Coordinator.Nats.Tests.Infrastructure;
using Twist.Testing.Kafka;
using Twist.Transactions;

namespace Twist.Coordinator.Kafka.Tests;

/// <summary>The Kafka event output against the librdkafka mock cluster: order, key, headers, trace context, outages.</summary>
public sealed class KafkaEventOutputTests
{
    private const int Partitions = 3;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Confirmed_transaction_publishes_every_lifecycle_event_in_order_in_one_partition_with_trace_headers()
    {
        var topic = KafkaMockCluster.CreateTopic(Partitions);
        using var spans = new SpanRecorder();
        await using var participant = await Participant.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(b => b.AddKafkaEventOutput(o => Configure(o, topic)));
        using var sent = new MetricCollector<long>(host.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TwistCoordinatorTelemetry.Name, "messaging.client.sent.messages");

        string tid;
        ActivityTraceId traceId;
        using (var root = SpanRecorder.TestSource.StartActivity("caller"))
        {
            traceId = root!.TraceId;
            tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
            await host.Coordinator.RegisterAsync(tid, [new ParticipantLink(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
            Assert.Equal(TransactionStatus.Confirmed, (await host.Coordinator.ConfirmAsync(tid, cancellationToken: Ct)).Status);
        }

        var messages = ReadUntilCompleted(topic, tid);
        Assert.Equal(
            [TransactionEventKind.Begun, TransactionEventKind.ParticipantRegistered, TransactionEventKind.Decided, TransactionEventKind.ParticipantConfirmed, TransactionEventKind.Completed],
            messages.Select(m => TransactionEventJson.Deserialize(m.Message.Value).Kind));
        Assert.Single(messages.Select(m => m.Partition.Value).Distinct());
        Assert.Equal(messages.Select(m => m.Offset.Value).Order(), messages.Select(m => m.Offset.Value));

        string[] steps = ["twist.begin", "twist.register", "twist.confirm", "twist.confirm", "twist.confirm"];
        Assert.All(messages.Zip(steps), pair =>
        {
            var (message, step) = pair;
            var e = TransactionEventJson.Deserialize(message.Message.Value);
            Assert.Equal(tid, message.Message.Key);
            Assert.Equal((tid, e.Kind.ToString(), e.EventId), (message.Header("Twist-Transaction-ID"), message.Header("Twist-Event"), message.Header("Twist-Event-ID")));
            Assert.Equal($"twist.transaction.id={tid}", message.Header("baggage"));

            // The message carries the Producer span's context; that span is a child of the step's coordinator span,
            // all in the caller's trace.
            var send = Assert.Single(spans.Spans, s => (s.GetTagItem("messaging.message.id") as string) == e.EventId);
            Assert.Equal((ActivityKind.Producer, $"send {topic}", traceId), (send.Kind, send.OperationName, send.TraceId));
            Assert.Equal(send.Id, message.Header("traceparent"));
            Assert.Equal(spans.Span(step, tid).SpanId, send.ParentSpanId);
            Assert.Equal(("kafka", topic, tid, tid), (send.GetTagItem("messaging.system"), send.GetTagItem("messaging.destination.name"), send.GetTagItem("twist.transaction.id"), send.GetTagItem("messaging.kafka.message.key")));
            Assert.Equal((message.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), message.Offset.Value), (send.GetTagItem("messaging.destination.partition.id"), send.GetTagItem("messaging.kafka.offset")));
        });

        Assert.True(await Eventually.TrueAsync(() => sent.GetMeasurementSnapshot().Count(m => (string?)m.Tags["messaging.system"] == "kafka" && (string?)m.Tags["messaging.destination.name"] == topic) == 5));
        Assert.DoesNotContain(sent.GetMeasurementSnapshot(), m => m.Tags.ContainsKey("error.type"));
    }

    [Fact]
    public async Task Cancelled_transaction_publishes_decided_cancel_each_participant_cancelled_and_completed_in_order()
    {
        var topic = KafkaMockCluster.CreateTopic(Partitions);
        await using var first = await Participant.StartAsync();
        await using var second = await Participant.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(b => b.AddKafkaEventOutput(o => Configure(o, topic)));

        var tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
        await host.Coordinator.RegisterAsync(tid, [new ParticipantLink(first.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
        await host.Coordinator.RegisterAsync(tid, [new ParticipantLink(second.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
        Assert.Equal(TransactionStatus.Cancelled, (await host.Coordinator.CancelAsync(tid, Ct)).Status);

        var events = ReadUntilCompleted(topic, tid).Select(m => TransactionEventJson.Deserialize(m.Message.Value)).ToArray();
        Assert.Equal(
            [TransactionEventKind.Begun, TransactionEventKind.ParticipantRegistered, TransactionEventKind.ParticipantRegistered, TransactionEventKind.Decided],
            events.Take(4).Select(e => e.Kind));
        Assert.Equal((TransactionDecision.Cancel, "requested"), (events[3].Decision, events[3].Reason));

        // The two participants are cancelled in parallel: either may be announced first, both before Completed.
        Assert.Equal([1, 2], events.Skip(4).Take(2).Select(e => e.ParticipantId!.Value).Order());
        Assert.All(events.Skip(4).Take(2), e => Assert.Equal(TransactionEventKind.ParticipantCancelled, e.Kind));
        var completed = Assert.Single(events.Skip(6));
        Assert.Equal((TransactionEventKind.Completed, TransactionStatus.Cancelled, "requested"), (completed.Kind, completed.Status, completed.Reason));
    }

    [Fact]
    public async Task Broker_outage_longer_than_a_publish_attempt_loses_and_reorders_no_event_and_a_repeat_carries_the_same_event_id()
    {
        var topic = KafkaMockCluster.CreateTopic(Partitions, "twist-outage");
        await using var participant = await Participant.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(b => b
            .AddKafkaEventOutput(o =>
            {
                Configure(o, topic);
                o.ConfigureProducer = c => c.ReconnectBackoffMaxMs = 200; // reconnect promptly once the brokers are back
            })
            .ConfigureTransactionEvents(o => { o.SinkTimeout = TimeSpan.FromMilliseconds(500); o.MaxAttempts = 30; o.RetryMaxDelay = TimeSpan.FromMilliseconds(300); }));

        // Connected first, so the outage hits a running producer.
        var warmUp = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
        Assert.Single(KafkaTopicReader.Read(topic, Partitions, r => r.Count >= 1, Ct));

        string tid;
        KafkaMockCluster.SetBrokersDown();
        try
        {
            tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
            await host.Coordinator.RegisterAsync(tid, [new ParticipantLink(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
            Assert.Equal(TransactionStatus.Confirmed, (await host.Coordinator.ConfirmAsync(tid, cancellationToken: Ct)).Status);

            // Several publish attempts time out against the dead cluster meanwhile.
            Assert.True(await Eventually.TrueAsync(() => host.Logs.GetSnapshot().Count(r => r.Id.Id == 1333) >= 2, TimeSpan.FromSeconds(20)), "attempts waited for the pending delivery");
        }
        finally
        {
            KafkaMockCluster.SetBrokersUp();
        }

        var messages = ReadUntilCompleted(topic, tid);
        var events = messages.Select(m => TransactionEventJson.Deserialize(m.Message.Value)).ToArray();

        // A produce request in flight when the brokers go down can be stored twice (about one run in six on the mock
        // cluster): the copy carries the same Twist-Event-ID, which is how consumers de-duplicate (README). What must
        // hold is that, read by event id, nothing is lost, nothing is reordered and no other event is repeated.
        var firstSeen = events.DistinctBy(e => e.EventId).ToArray();
        Assert.Equal(
            [TransactionEventKind.Begun, TransactionEventKind.ParticipantRegistered, TransactionEventKind.Decided, TransactionEventKind.ParticipantConfirmed, TransactionEventKind.Completed],
            firstSeen.Select(e => e.Kind));
        Assert.All(messages, m => Assert.Equal(TransactionEventJson.Deserialize(m.Message.Value).EventId, m.Header("Twist-Event-ID")));
        Assert.True(events.Length - firstSeen.Length <= 1, $"{events.Length - firstSeen.Length} repeated events");
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Id.Id == 1300);
        Assert.Equal(0, host.Dropped.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.NotEqual(warmUp, tid);
    }

    [Fact]
    public async Task Unreachable_cluster_the_transaction_still_completes_and_each_lost_event_is_logged_counted_and_traced()
    {
        using var spans = new SpanRecorder();
        await using var participant = await Participant.StartAsync();
        await using var host = await CoordinatorHost.StartAsync(b => b
            .AddKafkaEventOutput(o => { o.BootstrapServers = $"127.0.0.1:{ClosedPort()}"; o.DeliveryTimeout = TimeSpan.FromSeconds(1); })
            .ConfigureTransactionEvents(o => { o.MaxAttempts = 1; o.SinkTimeout = TimeSpan.FromSeconds(3); }));

        var started = Stopwatch.StartNew();
        var tid = (await host.Coordinator.BeginAsync(cancellationToken: Ct)).Tid;
        await host.Coordinator.RegisterAsync(tid, [new ParticipantLink(participant.Link(tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
        Assert.Equal(TransactionStatus.Confirmed, (await host.Coordinator.ConfirmAsync(tid, cancellationToken: Ct)).Status);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(3), $"the transaction took {started.Elapsed}; publishing must not hold it up");

        Assert.True(
            await Eventually.TrueAsync(() => host.Logs.GetSnapshot().Count(r => r.Id.Id == 1300) >= 5, TimeSpan.FromSeconds(60)),
            "every event of the transaction is logged as dropped");
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 1300 && r.Level == Microsoft.Extensions.Logging.LogLevel.Warning && r.Message.Contains(tid, StringComparison.Ordinal) && r.Message.Contains("Completed", StringComparison.Ordinal));
        Assert.All(host.Dropped.GetMeasurementSnapshot(), m => Assert.Equal("sink_failed", m.Tags["twist.event.drop.reason"]));
        var failed = spans.Spans.Where(s => s.Kind == ActivityKind.Producer && (s.GetTagItem("twist.transaction.id") as string) == tid).ToArray();
        Assert.NotEmpty(failed);
        Assert.All(failed, s => Assert.Equal(ActivityStatusCode.Error, s.Status));
        Assert.All(failed, s => Assert.Equal(typeof(ProduceException<string, byte[]>).FullName, s.GetTagItem("error.type")));
    }

    internal static void Configure(KafkaEventOutputOptions o, string topic)
    {
        o.BootstrapServers = KafkaMockCluster.BootstrapServers;
        o.Topic = topic;
    }

    private static List<ConsumeResult<string, byte[]>> ReadUntilCompleted(string topic, string tid)
    {
        var all = KafkaTopicReader.Read(topic, Partitions, r => r.Any(m => m.Message.Key == tid && m.Header("Twist-Event") == nameof(TransactionEventKind.Completed)), Ct);
        return all.Where(m => m.Message.Key == tid).ToList();
    }

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
