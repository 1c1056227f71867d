using System.Diagnostics;
using System.Text.Json;
using Gravity.Sync.Events;
using Gravity.Sync.Kafka;
using Gravity.Sync.Messaging.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Twist.Testing.Kafka;

namespace Gravity.Sync.Messaging.Tests.Kafka;

/// <summary>The <c>kafka</c> exporter: synced events consumed back from the mock cluster.</summary>
public sealed class KafkaExporterTests
{
    private const string Rules = """
        {"rules":[
          {"event":"userCreated","table":"users","method":"update","database":"views","exporter":["synced"],
           "mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"name","target":"name"}]}
        ]}
        """;

    [Fact]
    public async Task Synced_events_carry_the_original_event_id_target_partition_position_and_continue_the_publishers_trace()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var topic = new KafkaTestTopic(partitions: 2);
        var synced = KafkaMockCluster.CreateTopic(1, "gravity-test");
        using var spans = new SpanRecorder(GravityKafkaTelemetry.Name);
        await using var host = await FileRulesHost.StartAsync(Rules, b => b.AddKafkaSource(topic.Configure).AddKafkaExporter("synced", o => o.Topic = synced));

        GravityEventData published;
        using (SpanRecorder.TestSource.StartActivity("register user"))
        {
            published = GravityEventData.FromJson("userCreated", """{"id":7,"name":"grace"}""");
            await topic.Publisher.PublishAsync(published, cancel);
        }

        var message = Assert.Single(KafkaTopicReader.Read(synced, 1, read => read.Count >= 1, cancel));
        var source = message.Header(GravityMessageHeaders.Source)!;
        Assert.Matches($"^kafka:{topic.Topic}/[01]$", source);
        Assert.Equal(
            (published.Id, "userCreated", "views", "users", "[7]", "1"),
            (message.Header(GravityMessageHeaders.EventId), message.Header(GravityMessageHeaders.EventName), message.Header(GravityMessageHeaders.Database), message.Header(GravityMessageHeaders.Table), message.Header(GravityMessageHeaders.RowKey), message.Header(GravityMessageHeaders.Position)));
        Assert.Equal("views/users/[7]", message.Message.Key);

        // root span -> the publisher's send span (its context travels with the event) -> the synced event's send span.
        var original = ActivityContext.Parse(published.TraceParent!, null);
        var traceParent = ActivityContext.Parse(message.Header(GravityMessageHeaders.TraceParent)!, null);
        Assert.Equal(original.TraceId, traceParent.TraceId);
        var publish = Assert.Single(spans.Spans, s => s.OperationName == $"send {topic.Topic}");
        var send = Assert.Single(spans.Spans, s => s.OperationName == $"send {synced}");
        Assert.Equal((original.SpanId, publish.SpanId, traceParent.SpanId), (publish.ParentSpanId, send.ParentSpanId, send.SpanId));

        using var body = JsonDocument.Parse(message.Message.Value);
        Assert.Equal((published.Id, 1L, source), (body.RootElement.GetProperty("eventId").GetString(), body.RootElement.GetProperty("position").GetInt64(), body.RootElement.GetProperty("source").GetString()));
    }
}
