using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Gravity.Sync.Events;
using Gravity.Sync.Messaging.Tests.Infrastructure;
using Gravity.Sync.Nats;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;

namespace Gravity.Sync.Messaging.Tests.Nats;

/// <summary>The <c>nats</c> exporter: synced events consumed back from a real nats-server.</summary>
public sealed class NatsExporterTests
{
    private const string Rules = """
        {"rules":[
          {"event":"userCreated","table":"users","method":"update","database":"views","exporter":["synced"],
           "mapping":[{"source":"id","target":"id","primary":true,"type":"integer"},{"source":"name","target":"name"}]}
        ]}
        """;

    [Fact]
    public async Task Synced_events_carry_the_original_event_id_target_position_and_continue_the_publishers_trace()
    {
        var cancel = TestContext.Current.CancellationToken;
        await using var stream = NatsTestServer.Create();
        var subject = "gravity-test-synced." + Guid.NewGuid().ToString("N")[..8];
        var received = new ConcurrentQueue<NatsMsg<byte[]>>();
        await using var subscription = await stream.Connection.SubscribeCoreAsync(subject + ".>", serializer: NatsRawSerializer<byte[]>.Default, cancellationToken: cancel);
        await stream.Connection.PingAsync(cancel); // the server has the subscription once it answers a ping sent after it
        var pump = Task.Run(async () =>
        {
            await foreach (var msg in subscription.Msgs.ReadAllAsync(cancel))
            {
                received.Enqueue(msg);
            }
        }, cancel);
        using var spans = new SpanRecorder(GravityNatsTelemetry.Name);
        await using var host = await FileRulesHost.StartAsync(Rules, b => b.AddNatsJetStreamSource(stream.Configure).AddNatsExporter("synced", o => o.Subject = subject));

        GravityEventData published;
        using (var root = SpanRecorder.TestSource.StartActivity("register user"))
        {
            published = GravityEventData.FromJson("userCreated", """{"id":7,"name":"grace"}""");
            await stream.Publisher.PublishAsync(published, cancel);
        }

        Assert.True(await Eventually.TrueAsync(() => !received.IsEmpty), "no synced event arrived");
        var message = Assert.Single(received);
        var original = ActivityContext.Parse(published.TraceParent!, null);
        Assert.Equal($"{subject}.views.users", message.Subject);
        Assert.Equal(published.Id, Header(message, GravityMessageHeaders.EventId));
        Assert.Equal(("userCreated", "views", "users", "[7]", "1", $"nats:{stream.StreamName}"), (Header(message, GravityMessageHeaders.EventName), Header(message, GravityMessageHeaders.Database), Header(message, GravityMessageHeaders.Table), Header(message, GravityMessageHeaders.RowKey), Header(message, GravityMessageHeaders.Position), Header(message, GravityMessageHeaders.Source)));
        var traceParent = ActivityContext.Parse(Header(message, GravityMessageHeaders.TraceParent)!, null);
        Assert.Equal(original.TraceId, traceParent.TraceId); // the synced event continues the publisher's trace
        // root span -> the publisher's send span (its context travels with the event) -> the synced event's send span.
        var publish = Assert.Single(spans.Spans, s => s.OperationName == $"send {stream.SubjectPrefix}.userCreated");
        var send = Assert.Single(spans.Spans, s => s.OperationName == $"send {subject}.views.users");
        Assert.Equal((ActivityKind.Producer, original.SpanId), (publish.Kind, publish.ParentSpanId));
        Assert.Equal((ActivityKind.Producer, publish.SpanId, traceParent.SpanId), (send.Kind, send.ParentSpanId, send.SpanId));

        using var body = JsonDocument.Parse(message.Data);
        Assert.Equal(published.Id, body.RootElement.GetProperty("eventId").GetString());
        Assert.Equal(1, body.RootElement.GetProperty("position").GetInt64());
        Assert.Equal("views", body.RootElement.GetProperty("database").GetString());
        await subscription.UnsubscribeAsync();
        await pump;
    }

    [Fact]
    public async Task An_exporter_json_entry_of_another_type_with_the_same_name_fails_the_start()
    {
        var directory = TempDirectory.Create();
        try
        {
            var exporters = Path.Combine(directory, "exporter.json");
            await File.WriteAllTextAsync(exporters, """{"exporter":{"synced":{"type":"kafka","topic":"t"}}}""", TestContext.Current.CancellationToken);
            var error = await Assert.ThrowsAsync<Gravity.Sync.Rules.GravityRulesException>(() => FileRulesHost.StartAsync(
                Rules,
                b => b.AddNatsExporter("synced"),
                services => services.Configure<Gravity.Sync.Hosting.GravitySyncOptions>(o => o.ExportersFile = exporters)));
            Assert.Contains("exporter.synced: type \"kafka\" differs from \"nats\"", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(directory);
        }
    }

    private static string? Header(NatsMsg<byte[]> message, string name) =>
        message.Headers is { } headers && headers.TryGetValue(name, out var value) ? value.ToString() : null;
}
