using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Twist;
using Twist.Client;
using Twist.Coordinator.Host;
using Twist.Testing.Kafka;
using Twist.Transactions;

namespace Rosen.Tracing.IntegrationTests;

/// <summary>
/// One purchase followed through every transport Twist uses, asserted on the spans OpenTelemetry exports: the test
/// calls a caller web service over HTTP; it runs the transaction on the real coordinator host over gRPC; the coordinator
/// confirms the participant web service over HTTP and announces each step over NATS (real nats-server) and Kafka (mock
/// cluster), where consumers continue the trace with <see cref="MessageTracing"/>.
/// </summary>
public sealed class TransportPropagationTests
{
    private const string ApiKey = "propagation-test-caller-key-0123456789";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task One_purchase_is_one_trace_across_http_grpc_nats_and_kafka_with_the_transaction_id_on_every_span()
    {
        var natsUrl = NatsUrl();
        var spans = new ConcurrentQueue<Activity>();
        using var provider = Sdk.CreateTracerProviderBuilder()
            .AddRosenTracing()
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddProcessor(new SimpleActivityExportProcessor(new QueueExporter(spans)))
            .Build()!;

        var subjectPrefix = $"rosenprop.{Guid.NewGuid():N}";
        var topic = KafkaMockCluster.CreateTopic(1, "rosen-prop");
        await using var participant = await StartParticipantAsync();
        await using var coordinator = await StartCoordinatorAsync(natsUrl, subjectPrefix, topic);
        await using var caller = await StartCallerAsync(new Uri(coordinator.Urls.Single()), new Uri(participant.Urls.Single()));
        await using var natsConsumer = await NatsConsumer.StartAsync(natsUrl, subjectPrefix + ".>");

        // The test is the first client: its HTTP client span is the root of the trace.
        using var http = new HttpClient();
        using var response = await http.PostAsync(new Uri(new Uri(caller.Urls.Single()), "/purchase"), null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var purchase = (await response.Content.ReadFromJsonAsync<Purchase>(Ct))!;
        Assert.Equal(nameof(TransactionStatus.Confirmed), purchase.Status);
        var tid = purchase.Tid;

        var overNats = await natsConsumer.ProcessUntilCompletedAsync(tid);
        var overKafka = ProcessKafkaUntilCompleted(topic, tid);
        provider.ForceFlush();

        var root = Assert.Single(spans, s => s.Kind == ActivityKind.Client && s.ParentSpanId == default && Path(s) == "/purchase");
        var trace = spans.Where(s => s.TraceId == root.TraceId).ToArray();
        string Describe() => string.Join("\n", trace.Select(s => $"{s.Kind} {s.Source.Name} {s.DisplayName} tid={s.GetTagItem("twist.transaction.id")}"));

        // Every hop is in the one trace, with the span kind its role calls for.
        Assert.Contains(trace, s => s.Kind == ActivityKind.Server && Path(s) == "/purchase");                                             // caller service
        Assert.Equal(2, trace.Count(s => s.Kind == ActivityKind.Client && Path(s)?.StartsWith("/twist.v1.Coordinator/", StringComparison.Ordinal) == true)); // begin, confirm over gRPC
        Assert.Equal(2, trace.Count(s => s.Kind == ActivityKind.Server && s.Source.Name == "Microsoft.AspNetCore" && Path(s)?.StartsWith("/twist.v1.Coordinator/", StringComparison.Ordinal) == true));
        Assert.Contains(trace, s => s.Source.Name == "Twist.Coordinator" && s.DisplayName == "twist.confirm");
        // coordinator -> participant: the coordinator's own CLIENT span is the call's span, with no HttpClient span nested in it
        var delivery = Assert.Single(trace, s => s.Kind == ActivityKind.Client && Path(s) == "/p/" + tid);
        Assert.Equal(("Twist.Coordinator", "twist.participant confirm", "PUT"), (delivery.Source.Name, delivery.DisplayName, delivery.GetTagItem("http.request.method") as string));
        var received = Assert.Single(trace, s => s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("PUT", StringComparison.Ordinal) && Path(s) == "/p/" + tid);   // the participant
        Assert.Equal(delivery.SpanId, received.ParentSpanId);
        var producers = trace.Where(s => s.Kind == ActivityKind.Producer).ToArray();
        var consumers = trace.Where(s => s.Kind == ActivityKind.Consumer).ToArray();
        Assert.Equal((5, 5), (producers.Count(s => (string?)s.GetTagItem("messaging.system") == "nats"), producers.Count(s => (string?)s.GetTagItem("messaging.system") == "kafka")));
        Assert.Equal((5, 5), (consumers.Count(s => (string?)s.GetTagItem("messaging.system") == "nats"), consumers.Count(s => (string?)s.GetTagItem("messaging.system") == "kafka")));
        Assert.Equal(10, overNats + overKafka);

        // Each consumer span continues the producer span whose context its message carried.
        Assert.All(consumers, c => Assert.Contains(producers, p => p.SpanId == c.ParentSpanId && p.GetTagItem("messaging.system") == c.GetTagItem("messaging.system")));

        // Every span from the moment the transaction exists carries its id: set by Twist itself, inherited from the
        // in-process parent, or from the baggage the caller, the coordinator and the event headers propagate. Only the
        // caller's request and the begin call, which start before the id exists, lack it.
        var begun = Assert.Single(trace, s => s.Source.Name == "Twist.Coordinator" && s.DisplayName == "twist.begin");
        var afterBegin = trace.Where(s => s.StartTimeUtc >= begun.StartTimeUtc + begun.Duration).ToArray();
        Assert.True(afterBegin.Length >= 26, Describe());
        Assert.All(afterBegin, s => Assert.True(tid == s.GetTagItem("twist.transaction.id") as string, $"{s.Kind} {s.DisplayName} has no transaction id:\n{Describe()}"));

        // Nothing of this transaction escaped into another trace.
        Assert.All(spans.Where(s => s.GetTagItem("twist.transaction.id") as string == tid), s => Assert.Equal(root.TraceId, s.TraceId));
    }

    /// <summary>The request path of an HTTP span: <c>url.path</c> on servers, from <c>url.full</c> on clients.</summary>
    private static string? Path(Activity span) =>
        span.GetTagItem("url.path") as string ?? (span.GetTagItem("url.full") is string full ? new Uri(full).AbsolutePath : null);

    private static int ProcessKafkaUntilCompleted(string topic, string tid)
    {
        var messages = KafkaTopicReader.Read(topic, 1, r => r.Any(m => m.Message.Key == tid && m.Header("Twist-Event") == "Completed"), Ct);
        foreach (var message in messages)
        {
            // What a Kafka consumer does to continue the trace (and, through the baggage, know the transaction).
            var propagated = MessageTracing.Extract(message.Message.Headers, static (headers, key) => headers.TryGetLastBytes(key, out var value) ? [System.Text.Encoding.UTF8.GetString(value)] : null);
            using var process = MessageTracing.StartProcess("kafka", topic, propagated);
        }

        Baggage.Current = default;
        return messages.Count;
    }

    private static async Task<WebApplication> StartParticipantAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapMethods("/p/{tid}", ["PUT", "DELETE"], () => Results.Ok());
        await app.StartAsync(Ct);
        return app;
    }

    private static async Task<WebApplication> StartCoordinatorAsync(string natsUrl, string subjectPrefix, string topic)
    {
        var directory = Directory.CreateTempSubdirectory("rosen-prop-");
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--contentRoot={AppContext.BaseDirectory}",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:Console:FormatterName=simple",
            $"--Twist:Coordinator:SqlitePath={System.IO.Path.Combine(directory.FullName, "twist.db")}",
            "--Twist:Coordinator:AllowedParticipantHosts:0=127.0.0.1",
            "--Twist:Api:ApiKeys:0:Name=caller",
            $"--Twist:Api:ApiKeys:0:Key={ApiKey}",
            "--Twist:Api:ApiKeys:0:Roles:0=caller",
            "--Twist:Coordinator:EventOutput=Nats,Kafka",
            $"--Twist:Coordinator:Nats:Url={natsUrl}",
            $"--Twist:Coordinator:Nats:SubjectPrefix={subjectPrefix}",
            $"--Twist:Coordinator:Kafka:BootstrapServers={KafkaMockCluster.BootstrapServers}",
            $"--Twist:Coordinator:Kafka:Topic={topic}",
        ];
        var app = TwistCoordinatorHost.Build(args);
        await app.StartAsync(Ct);
        return app;
    }

    private static async Task<WebApplication> StartCallerAsync(Uri coordinator, Uri participant)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddTwistClient(o =>
        {
            o.Coordinator = TwistCoordinatorKind.Grpc;
            o.Address = coordinator;
            o.ApiKey = ApiKey;
        });
        var app = builder.Build();
        app.MapPost("/purchase", async (ITwistClient twist, CancellationToken cancellationToken) =>
        {
            await using var tx = await twist.BeginAsync(cancellationToken: cancellationToken);

            // The Rosen convention: downstream services learn the transaction from the baggage.
            Baggage.SetBaggage(RosenTelemetry.TransactionIdKey, tx.Tid);
            tx.AddParticipant(new ParticipantLink(new Uri(participant, "/p/" + tx.Tid), DateTimeOffset.UtcNow.AddMinutes(1)));
            var info = await tx.ConfirmAsync(cancellationToken);
            return Results.Ok(new Purchase(tx.Tid, info.Status.ToString()));
        });
        await app.StartAsync(Ct);
        return app;
    }

    private static string NatsUrl()
    {
        var url = Environment.GetEnvironmentVariable("TWIST_TEST_NATS");
        if (string.IsNullOrWhiteSpace(url))
        {
            Assert.False(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), "TWIST_TEST_NATS is not set; .ci/run starts nats-server and sets it.");
            Assert.Skip("TWIST_TEST_NATS is not set: start nats-server -js -a 127.0.0.1 -p 4222 and set it to nats://127.0.0.1:4222.");
        }

        return url;
    }

    private sealed record Purchase(string Tid, string Status);

    /// <summary>Hands every finished span to a queue (the in-memory exporter's list is not safe for concurrent services).</summary>
    private sealed class QueueExporter(ConcurrentQueue<Activity> spans) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var span in batch)
            {
                spans.Enqueue(span);
            }

            return ExportResult.Success;
        }
    }

    /// <summary>A NATS subscriber that continues the trace of every event it processes, as another system would.</summary>
    private sealed class NatsConsumer : IAsyncDisposable
    {
        private readonly NatsConnection connection;
        private readonly INatsSub<byte[]> subscription;

        private NatsConsumer(NatsConnection connection, INatsSub<byte[]> subscription)
        {
            this.connection = connection;
            this.subscription = subscription;
        }

        public static async Task<NatsConsumer> StartAsync(string url, string subject)
        {
            var connection = new NatsConnection(NatsOpts.Default with { Url = url });
            var subscription = await connection.SubscribeCoreAsync<byte[]>(subject, cancellationToken: Ct);
            await connection.PingAsync(Ct);
            return new NatsConsumer(connection, subscription);
        }

        public async Task<int> ProcessUntilCompletedAsync(string tid)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            deadline.CancelAfter(TimeSpan.FromSeconds(30));
            var processed = 0;
            await foreach (var message in subscription.Msgs.ReadAllAsync(deadline.Token))
            {
                var propagated = MessageTracing.Extract(message.Headers, static (headers, key) => headers is not null && headers.TryGetValue(key, out var values) ? values.ToString().Split(',') : null);
                using (MessageTracing.StartProcess("nats", message.Subject, propagated))
                {
                    processed++;
                }

                Baggage.Current = default;
                if (message.Headers is { } headers && headers["Twist-Transaction-ID"].ToString() == tid && headers["Twist-Event"].ToString() == "Completed")
                {
                    return processed;
                }
            }

            return processed;
        }

        public async ValueTask DisposeAsync()
        {
            await subscription.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
