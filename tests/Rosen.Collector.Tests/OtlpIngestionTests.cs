using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Protobuf;
using OpenTelemetry.Exporter;
using OpenTelemetry.Proto.Collector.Trace.V1;
using OpenTelemetry.Proto.Trace.V1;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Span = OpenTelemetry.Proto.Trace.V1.Span;
using Rosen.Collector.Storage;

namespace Rosen.Collector.Tests;

public sealed class OtlpIngestionTests
{
    private static readonly ActivitySource Shop = new("Test.Shop");
    private static readonly ActivitySource Game = new("Test.Game");
    private static readonly ActivitySource Sync = new("Test.Sync");

    [Fact]
    public async Task Spans_from_the_real_OTLP_http_exporter_are_stored_with_their_transaction_id_and_service_edges()
    {
        await using var host = await CollectorHost.StartAsync();
        var tid = "tx-" + Guid.NewGuid().ToString("N");
        using (var shop = Exporters.For("shop", Shop.Name, host.TracesUri))
        using (var game = Exporters.For("game", Game.Name, host.TracesUri))
        {
            using (var call = Shop.StartActivity("POST /points", ActivityKind.Client)!)
            {
                call.SetTag("twist.transaction.id", tid).SetTag("twist.transaction.status", "Confirmed");
                using var server = Game.StartActivity("POST /points", ActivityKind.Server, call.Context)!;
                server.SetTag("twist.transaction.id", tid).SetTag("twist.participant.name", "game-points");
                server.SetStatus(ActivityStatusCode.Error, "no points left");
            }

            Assert.True(shop.ForceFlush(5000));
            Assert.True(game.ForceFlush(5000));
        }

        var spans = await host.Store.GetTransactionSpansAsync(tid, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["game", "shop"], spans.Select(s => s.ServiceName).Order());
        var serverSpan = Assert.Single(spans, s => s.Kind == CollectedSpanKind.Server);
        Assert.Equal(CollectedSpanStatus.Error, serverSpan.Status);
        Assert.Equal("no points left", serverSpan.StatusMessage);
        Assert.Equal("game-1", serverSpan.ServiceInstanceId);
        Assert.Equal(spans.Single(s => s.Kind == CollectedSpanKind.Client).SpanId, serverSpan.ParentSpanId);

        var edges = await host.Store.GetServiceEdgesAsync(DateTimeOffset.UtcNow.AddMinutes(-5), TestContext.Current.CancellationToken);
        var edge = Assert.Single(edges);
        Assert.Equal(("shop", "game", false, 1, 1), (edge.From, edge.To, edge.Messaging, edge.Count, edge.ErrorCount));

        var found = await host.Store.ListTransactionsAsync(new TransactionSearch { Participant = "POINTS", Status = "confirmed" }, TestContext.Current.CancellationToken);
        var summary = Assert.Single(found);
        Assert.Equal((tid, 2, 1, "Confirmed"), (summary.TransactionId, summary.SpanCount, summary.ErrorCount, summary.Status));
        Assert.Empty(await host.Store.ListTransactionsAsync(new TransactionSearch { Participant = "bank" }, TestContext.Current.CancellationToken));
        Assert.Single(await host.Store.ListTransactionsAsync(new TransactionSearch { TransactionId = tid[..10] }, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Spans_from_the_real_OTLP_grpc_exporter_are_stored()
    {
        await using var host = await CollectorHost.StartAsync();
        var tid = "tx-" + Guid.NewGuid().ToString("N");
        using (var shop = Exporters.For("shop", Shop.Name, host.GrpcAddress, OtlpExportProtocol.Grpc))
        {
            Shop.StartActivity("twist.begin")!.SetTag("twist.transaction.id", tid).Dispose();
            Assert.True(shop.ForceFlush(5000));
        }

        var span = Assert.Single(await host.Store.GetTransactionSpansAsync(tid, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal(("twist.begin", "shop", "Test.Shop"), (span.Name, span.ServiceName, span.ScopeName));
    }

    [Fact]
    public async Task A_batch_consumer_linked_to_a_producer_joins_the_transaction_and_reports_sync_activity()
    {
        await using var host = await CollectorHost.StartAsync();
        var tid = "tx-" + Guid.NewGuid().ToString("N");
        using (var shop = Exporters.For("shop", Shop.Name, host.TracesUri))
        using (var sync = Exporters.For("profile-sync", Sync.Name, host.TracesUri))
        {
            ActivityContext produced;
            using (var send = Shop.StartActivity("send user.events", ActivityKind.Producer)!)
            {
                send.SetTag("twist.transaction.id", tid);
                produced = send.Context;
            }

            using (var apply = Sync.StartActivity("gravity.sync.apply", ActivityKind.Consumer, parentContext: default, links: [new ActivityLink(produced)])!)
            {
                apply.SetTag("gravity.database", "profiles").SetTag("messaging.batch.message_count", 3);
            }

            Assert.True(shop.ForceFlush(5000));
            Assert.True(sync.ForceFlush(5000));
        }

        var spans = await host.Store.GetTransactionSpansAsync(tid, cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["gravity.sync.apply", "send user.events"], spans.Select(s => s.Name).Order());
        var edge = Assert.Single(await host.Store.GetServiceEdgesAsync(DateTimeOffset.UtcNow.AddMinutes(-5), TestContext.Current.CancellationToken));
        Assert.Equal(("shop", "profile-sync", true), (edge.From, edge.To, edge.Messaging));
        var activity = Assert.Single(await host.Store.GetSyncActivityAsync(DateTimeOffset.UtcNow.AddMinutes(-5), TestContext.Current.CancellationToken));
        Assert.Equal(("profiles", 1, 3L, 0), (activity.Database, activity.Batches, activity.Events, activity.FailedBatches));
        var services = await host.Store.ListServicesAsync(DateTimeOffset.UtcNow.AddMinutes(-5), TestContext.Current.CancellationToken);
        Assert.Equal(["profile-sync", "shop"], services.Select(s => s.Name));
    }

    [Fact]
    public async Task The_same_span_sent_twice_is_stored_once()
    {
        await using var host = await CollectorHost.StartAsync();
        using var http = new HttpClient();
        var request = Request(TraceId(), SpanId(), "twist.begin");
        for (var i = 0; i < 2; i++)
        {
            using var response = await http.PostAsync(host.TracesUri, Protobuf(request.ToByteArray()), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var trace = await host.Store.GetTraceAsync(Convert.ToHexStringLower(request.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.Span), TestContext.Current.CancellationToken);
        Assert.Single(trace);
    }

    [Fact]
    public async Task Descendants_of_a_transaction_span_inherit_its_id_whichever_arrives_first()
    {
        await using var host = await CollectorHost.StartAsync();
        using var http = new HttpClient();
        var trace = TraceId();
        var (call, server, query) = (SpanId(), SpanId(), SpanId());
        var grandchild = Request(trace, query, "SELECT wallet");
        grandchild.ResourceSpans[0].ScopeSpans[0].Spans[0].ParentSpanId = server;
        var child = Request(trace, server, "PUT /p/{account}/{tid}");
        child.ResourceSpans[0].ScopeSpans[0].Spans[0].ParentSpanId = call;
        var parent = Request(trace, call, "twist.participant confirm");
        parent.ResourceSpans[0].ScopeSpans[0].Spans[0].Attributes.Add(new OpenTelemetry.Proto.Common.V1.KeyValue { Key = "twist.transaction.id", Value = new() { StringValue = "tx-inherit" } });
        var unrelated = Request(trace, SpanId(), "sibling root");
        foreach (var request in new[] { grandchild, child, unrelated, parent })
        {
            using var response = await http.PostAsync(host.TracesUri, Protobuf(request.ToByteArray()), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var spans = await host.Store.GetTransactionSpansAsync("tx-inherit", cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(["PUT /p/{account}/{tid}", "SELECT wallet", "twist.participant confirm"], spans.Select(s => s.Name).Order());
        Assert.All(spans, s => Assert.Equal("tx-inherit", s.TransactionId));
    }

    [Fact]
    public async Task A_body_that_is_not_protobuf_is_a_400_problem()
    {
        await using var host = await CollectorHost.StartAsync();
        using var http = new HttpClient();
        using var response = await http.PostAsync(host.TracesUri, Protobuf([0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01]), TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "not an OTLP ExportTraceServiceRequest");
    }

    [Fact]
    public async Task Json_and_other_media_types_are_a_415_problem_that_says_what_to_send()
    {
        await using var host = await CollectorHost.StartAsync();
        using var http = new HttpClient();
        using (var json = await http.PostAsync(host.TracesUri, new StringContent("{\"resourceSpans\":[]}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken))
        {
            await AssertProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "http/protobuf");
        }

        using var noType = new ByteArrayContent([1, 2, 3]);
        using var none = await http.PostAsync(host.TracesUri, noType, TestContext.Current.CancellationToken);
        await AssertProblemAsync(none, HttpStatusCode.UnsupportedMediaType, "application/x-protobuf");
        using var brotli = Protobuf([]);
        brotli.Headers.ContentEncoding.Add("br");
        using var encoded = await http.PostAsync(host.TracesUri, brotli, TestContext.Current.CancellationToken);
        await AssertProblemAsync(encoded, HttpStatusCode.UnsupportedMediaType, "gzip");
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem_declared_or_chunked_or_after_gzip()
    {
        await using var host = await CollectorHost.StartAsync(o => o.MaxRequestBodySize = 2048);
        using var http = new HttpClient();
        var big = Request(TraceId(), SpanId(), new string('x', 4000)).ToByteArray();
        using (var declared = await http.PostAsync(host.TracesUri, Protobuf(big), TestContext.Current.CancellationToken))
        {
            await AssertProblemAsync(declared, HttpStatusCode.RequestEntityTooLarge, "2048");
        }

        using (var chunked = new StreamContent(new NonSeekableStream(big)))
        {
            chunked.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await http.PostAsync(host.TracesUri, chunked, TestContext.Current.CancellationToken);
            await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "2048");
        }

        // A small gzip body that inflates past the limit (a zip bomb) is refused too.
        using var zipped = Protobuf(Gzip(big));
        zipped.Headers.ContentEncoding.Add("gzip");
        using var bomb = await http.PostAsync(host.TracesUri, zipped, TestContext.Current.CancellationToken);
        await AssertProblemAsync(bomb, HttpStatusCode.RequestEntityTooLarge, "decompression");
    }

    [Fact]
    public async Task Gzip_bodies_are_accepted_and_broken_gzip_is_a_400_problem()
    {
        await using var host = await CollectorHost.StartAsync();
        using var http = new HttpClient();
        var request = Request(TraceId(), SpanId(), "zipped");
        using (var zipped = Protobuf(Gzip(request.ToByteArray())))
        {
            zipped.Headers.ContentEncoding.Add("gzip");
            using var ok = await http.PostAsync(host.TracesUri, zipped, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Single(await host.Store.GetTraceAsync(Convert.ToHexStringLower(request.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.Span), TestContext.Current.CancellationToken));
        using var broken = Protobuf([1, 2, 3, 4, 5, 6]);
        broken.Headers.ContentEncoding.Add("gzip");
        using var response = await http.PostAsync(host.TracesUri, broken, TestContext.Current.CancellationToken);
        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "gzip");
    }

    [Fact]
    public async Task Spans_with_invalid_ids_are_rejected_alone_as_an_OTLP_partial_success()
    {
        await using var host = await CollectorHost.StartAsync();
        using var http = new HttpClient();
        var request = Request(TraceId(), SpanId(), "good");
        var spans = request.ResourceSpans[0].ScopeSpans[0].Spans;
        spans.Add(new Span { TraceId = ByteString.CopyFrom(new byte[16]), SpanId = SpanId(), Name = "zero trace id" });
        spans.Add(new Span { TraceId = TraceId(), SpanId = ByteString.CopyFrom([1, 2, 3]), Name = "short span id" });
        using var response = await http.PostAsync(host.TracesUri, Protobuf(request.ToByteArray()), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = ExportTraceServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2, answer.PartialSuccess.RejectedSpans);
        Assert.Contains("trace_id", answer.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        Assert.Single(await host.Store.GetTraceAsync(Convert.ToHexStringLower(spans[0].TraceId.Span), TestContext.Current.CancellationToken));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    internal static ExportTraceServiceRequest Request(ByteString traceId, ByteString spanId, string name, DateTimeOffset? start = null)
    {
        var startNano = (ulong)((start ?? DateTimeOffset.UtcNow) - DateTimeOffset.UnixEpoch).Ticks * 100;
        var resource = new ResourceSpans { Resource = new() };
        resource.Resource.Attributes.Add(new OpenTelemetry.Proto.Common.V1.KeyValue { Key = "service.name", Value = new() { StringValue = "raw" } });
        var scope = new ScopeSpans();
        scope.Spans.Add(new Span { TraceId = traceId, SpanId = spanId, Name = name, StartTimeUnixNano = startNano, EndTimeUnixNano = startNano + 1_000_000 });
        resource.ScopeSpans.Add(scope);
        var request = new ExportTraceServiceRequest();
        request.ResourceSpans.Add(resource);
        return request;
    }

    internal static ByteString TraceId() => ByteString.CopyFrom(Guid.NewGuid().ToByteArray());

    internal static ByteString SpanId() => ByteString.CopyFrom(Guid.NewGuid().ToByteArray()[..8]);

    internal static ByteArrayContent Protobuf(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        return content;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>Hides the length, so HttpClient sends the body chunked (no Content-Length to refuse early).</summary>
    private sealed class NonSeekableStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
