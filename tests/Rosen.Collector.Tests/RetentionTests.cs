using System.Net;

namespace Rosen.Collector.Tests;

public sealed class RetentionTests
{
    [Fact]
    public async Task The_retention_worker_deletes_spans_older_than_the_retention_and_keeps_the_rest()
    {
        await using var host = await CollectorHost.StartAsync(o =>
        {
            o.Retention = TimeSpan.FromHours(1);
            o.RetentionSweepInterval = TimeSpan.FromMilliseconds(50);
        });
        using var http = new HttpClient();
        var old = OtlpIngestionTests.Request(OtlpIngestionTests.TraceId(), OtlpIngestionTests.SpanId(), "old", DateTimeOffset.UtcNow.AddHours(-2));
        var fresh = OtlpIngestionTests.Request(OtlpIngestionTests.TraceId(), OtlpIngestionTests.SpanId(), "fresh");
        foreach (var request in new[] { old, fresh })
        {
            using var response = await http.PostAsync(host.TracesUri, OtlpIngestionTests.Protobuf(Google.Protobuf.MessageExtensions.ToByteArray(request)), TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        string Trace(OpenTelemetry.Proto.Collector.Trace.V1.ExportTraceServiceRequest r) => Convert.ToHexStringLower(r.ResourceSpans[0].ScopeSpans[0].Spans[0].TraceId.Span);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await host.Store.GetTraceAsync(Trace(old), TestContext.Current.CancellationToken)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "The old span was not deleted within 10 s.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Single(await host.Store.GetTraceAsync(Trace(fresh), TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task The_retention_worker_deletes_log_records_older_than_the_retention_and_keeps_the_rest()
    {
        await using var host = await CollectorHost.StartAsync(o =>
        {
            o.Retention = TimeSpan.FromHours(1);
            o.RetentionSweepInterval = TimeSpan.FromMilliseconds(50);
        });
        using var http = new HttpClient();
        var request = OtlpLogIngestionTests.Request(
            OtlpLogIngestionTests.Record("tx-retention", "old", DateTimeOffset.UtcNow.AddHours(-2)),
            OtlpLogIngestionTests.Record("tx-retention", "fresh"));
        using (var response = await http.PostAsync(host.LogsUri, OtlpIngestionTests.Protobuf(Google.Protobuf.MessageExtensions.ToByteArray(request)), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await host.Store.GetTransactionLogsAsync("tx-retention", cancellationToken: TestContext.Current.CancellationToken)).Count > 1)
        {
            Assert.True(DateTime.UtcNow < deadline, "The old log record was not deleted within 10 s.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        Assert.Equal("fresh", Assert.Single(await host.Store.GetTransactionLogsAsync("tx-retention", cancellationToken: TestContext.Current.CancellationToken)).Body);
    }

    [Fact]
    public async Task Invalid_options_fail_the_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            CollectorHost.StartAsync(o => o.Retention = TimeSpan.FromSeconds(1)));
        Assert.Contains("Rosen:Collector:Retention", error.Message, StringComparison.Ordinal);
    }
}
