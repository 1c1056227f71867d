using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Common.V1;
using OpenTelemetry.Proto.Logs.V1;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Rosen.Collector.Storage;
using LogRecord = OpenTelemetry.Proto.Logs.V1.LogRecord;

namespace Rosen.Collector.Tests;

/// <summary>OTLP log records, from the real OpenTelemetry .NET exporter and from raw protobuf, stored for the transaction page.</summary>
public sealed partial class OtlpLogIngestionTests
{
    private static readonly ActivitySource Coordinator = new("Test.LogCoordinator");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logs_from_the_real_OTLP_http_exporter_are_stored_with_trace_context_severity_message_and_transaction_id()
    {
        await using var host = await CollectorHost.StartAsync();
        var tid = "tx-" + Guid.NewGuid().ToString("N");
        var other = "tx-" + Guid.NewGuid().ToString("N");
        ActivityContext delivery;
        using (var tracing = Exporters.For("coordinator", Coordinator.Name, host.TracesUri))
        using (var loggers = Loggers(host.LogsUri, OtlpExportProtocol.HttpProtobuf))
        {
            var logger = loggers.CreateLogger("Twist.Coordinator.Engine");
            using (var span = Coordinator.StartActivity("twist.participant confirm", ActivityKind.Client)!)
            {
                span.SetTag("twist.transaction.id", tid);
                delivery = span.Context;
                CallingParticipant(logger, 1);                 // no Tid: found through the span
                DeliveryRetrying(logger, tid, 1, 2, "HTTP 503"); // Tid: found by its attribute
            }

            TransactionCompleted(logger, other, "Cancelled");    // another transaction, outside any span
            Assert.True(tracing.ForceFlush(5000));
        }

        var logs = await host.Store.GetTransactionLogsAsync(tid, cancellationToken: Ct);
        Assert.Equal(
            ["Calling participant 1", $"Transaction {tid} participant 1 confirm attempt 2 failed: HTTP 503"],
            logs.Select(l => l.Body));
        var retry = logs[1];
        Assert.Equal((13, "Warning", "DeliveryRetrying"), (retry.SeverityNumber, retry.SeverityText, retry.EventName));
        Assert.Equal((delivery.TraceId.ToHexString(), delivery.SpanId.ToHexString()), (retry.TraceId, retry.SpanId));
        Assert.Equal((tid, "coordinator", "coordinator-1", "Twist.Coordinator.Engine"), (retry.TransactionId, retry.ServiceName, retry.ServiceInstanceId, retry.ScopeName));
        Assert.Equal(("2", "HTTP 503"), (retry.Attribute("Attempt"), retry.Attribute("Error")));
        Assert.InRange(retry.Time, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Null(logs[0].TransactionId);
        Assert.Equal(9, logs[0].SeverityNumber);

        var completed = Assert.Single(await host.Store.GetTransactionLogsAsync(other, cancellationToken: Ct));
        Assert.Equal(($"Transaction {other} finished Cancelled", null, null), (completed.Body, completed.TraceId, completed.SpanId));
    }

    [Fact]
    public async Task Logs_from_the_real_OTLP_grpc_exporter_are_stored()
    {
        await using var host = await CollectorHost.StartAsync();
        var tid = "tx-" + Guid.NewGuid().ToString("N");
        using (var loggers = Loggers(host.GrpcAddress, OtlpExportProtocol.Grpc))
        {
            TransactionCompleted(loggers.CreateLogger("Twist.Coordinator.Engine"), tid, "Confirmed");
        }

        var record = Assert.Single(await host.Store.GetTransactionLogsAsync(tid, cancellationToken: Ct));
        Assert.Equal(($"Transaction {tid} finished Confirmed", 5, "TransactionCompleted"), (record.Body, record.SeverityNumber, record.EventName));
    }

    [Fact]
    public async Task A_raw_record_keeps_its_event_id_takes_the_observed_time_when_it_has_no_time_and_shows_a_structured_body_as_json()
    {
        await using var host = await CollectorHost.StartAsync();
        using var http = new HttpClient();
        var observed = DateTimeOffset.UtcNow.AddSeconds(-3);
        var record = new LogRecord
        {
            ObservedTimeUnixNano = (ulong)(observed - DateTimeOffset.UnixEpoch).Ticks * 100,
            SeverityNumber = SeverityNumber.Error,
            Body = new AnyValue { KvlistValue = new KeyValueList { Values = { new KeyValue { Key = "reason", Value = new AnyValue { StringValue = "no funds" } } } } },
            Attributes =
            {
                new KeyValue { Key = "twist.transaction.id", Value = new AnyValue { StringValue = "tx-raw" } },
                new KeyValue { Key = "logrecord.event.id", Value = new AnyValue { IntValue = 1011 } },
                new KeyValue { Key = "logrecord.event.name", Value = new AnyValue { StringValue = "ParticipantParked" } },
            },
        };
        using var response = await http.PostAsync(host.LogsUri, OtlpIngestionTests.Protobuf(Request(record).ToByteArray()), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType?.MediaType);

        var stored = Assert.Single(await host.Store.GetTransactionLogsAsync("tx-raw", cancellationToken: Ct));
        Assert.Equal((1011, "ParticipantParked", 17, null, "raw"), (stored.EventId, stored.EventName, stored.SeverityNumber, stored.SeverityText, stored.ServiceName));
        Assert.Equal("{\"reason\":\"no funds\"}", stored.Body);
        Assert.Equal(observed.UtcTicks / 10 * 10, stored.Time.UtcTicks / 10 * 10);
    }

    [Fact]
    public async Task A_body_that_is_not_an_OTLP_logs_request_is_a_400_problem_and_nothing_is_stored()
    {
        await using var host = await CollectorHost.StartAsync();
        using var http = new HttpClient();
        var whole = Request(Record("tx-cut", "cut short")).ToByteArray();
        using var response = await http.PostAsync(host.LogsUri, OtlpIngestionTests.Protobuf(whole[..^3]), Ct);

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, "not an OTLP ExportLogsServiceRequest");
        Assert.Empty(await host.Store.GetTransactionLogsAsync("tx-cut", cancellationToken: Ct));
        using var json = await http.PostAsync(host.LogsUri, new StringContent("{\"resourceLogs\":[]}", System.Text.Encoding.UTF8, "application/json"), Ct);
        await AssertProblemAsync(json, HttpStatusCode.UnsupportedMediaType, "http/protobuf");
    }

    [Fact]
    public async Task Gzip_log_bodies_are_accepted_and_one_over_the_limit_after_decompression_is_a_413_problem()
    {
        await using var host = await CollectorHost.StartAsync(o => o.MaxRequestBodySize = 4096);
        using var http = new HttpClient();
        using (var zipped = OtlpIngestionTests.Protobuf(Gzip(Request(Record("tx-gzip", "zipped")).ToByteArray())))
        {
            zipped.Headers.ContentEncoding.Add("gzip");
            using var ok = await http.PostAsync(host.LogsUri, zipped, Ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        Assert.Equal("zipped", Assert.Single(await host.Store.GetTransactionLogsAsync("tx-gzip", cancellationToken: Ct)).Body);
        using var bomb = OtlpIngestionTests.Protobuf(Gzip(Request(Record("tx-bomb", new string('x', 10_000))).ToByteArray()));
        bomb.Headers.ContentEncoding.Add("gzip");
        using var refused = await http.PostAsync(host.LogsUri, bomb, Ct);
        await AssertProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge, "decompression");
        Assert.Empty(await host.Store.GetTransactionLogsAsync("tx-bomb", cancellationToken: Ct));
    }

    [Fact]
    public async Task Records_with_malformed_ids_are_rejected_alone_as_an_OTLP_partial_success()
    {
        await using var host = await CollectorHost.StartAsync();
        using var http = new HttpClient();
        var request = Request(Record("tx-partial", "kept"));
        var records = request.ResourceLogs[0].ScopeLogs[0].LogRecords;
        records.Add(Record("tx-partial", "short trace id").Also(r => r.TraceId = ByteString.CopyFrom([1, 2, 3])));
        records.Add(Record("tx-partial", "long span id").Also(r => (r.TraceId, r.SpanId) = (OtlpIngestionTests.TraceId(), ByteString.CopyFrom(new byte[9]))));
        using var response = await http.PostAsync(host.LogsUri, OtlpIngestionTests.Protobuf(request.ToByteArray()), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = ExportLogsServiceResponse.Parser.ParseFrom(await response.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(2, answer.PartialSuccess.RejectedLogRecords);
        Assert.Contains("trace_id", answer.PartialSuccess.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(["kept"], (await host.Store.GetTransactionLogsAsync("tx-partial", cancellationToken: Ct)).Select(l => l.Body));
    }

    internal static ExportLogsServiceRequest Request(params LogRecord[] records)
    {
        var resource = new ResourceLogs { Resource = new() };
        resource.Resource.Attributes.Add(new KeyValue { Key = "service.name", Value = new() { StringValue = "raw" } });
        var scope = new ScopeLogs { Scope = new InstrumentationScope { Name = "Raw.Category" } };
        scope.LogRecords.AddRange(records);
        resource.ScopeLogs.Add(scope);
        var request = new ExportLogsServiceRequest();
        request.ResourceLogs.Add(resource);
        return request;
    }

    internal static LogRecord Record(string tid, string body, DateTimeOffset? time = null) => new()
    {
        TimeUnixNano = (ulong)((time ?? DateTimeOffset.UtcNow) - DateTimeOffset.UnixEpoch).Ticks * 100,
        SeverityNumber = SeverityNumber.Info,
        SeverityText = "Information",
        Body = new AnyValue { StringValue = body },
        Attributes = { new KeyValue { Key = "Tid", Value = new AnyValue { StringValue = tid } } },
    };

    [LoggerMessage(1009, LogLevel.Information, "Calling participant {ParticipantId}", EventName = "CallingParticipant")]
    private static partial void CallingParticipant(ILogger logger, int participantId);

    [LoggerMessage(1010, LogLevel.Warning, "Transaction {Tid} participant {ParticipantId} confirm attempt {Attempt} failed: {Error}", EventName = "DeliveryRetrying")]
    private static partial void DeliveryRetrying(ILogger logger, string tid, int participantId, int attempt, string error);

    [LoggerMessage(1002, LogLevel.Debug, "Transaction {Tid} finished {Status}", EventName = "TransactionCompleted")]
    private static partial void TransactionCompleted(ILogger logger, string tid, string status);

    /// <summary>The real OpenTelemetry logging provider with the real OTLP exporter, exporting each record as it is written.</summary>
    private static ILoggerFactory Loggers(Uri endpoint, OtlpExportProtocol protocol) =>
        LoggerFactory.Create(builder => builder
            .SetMinimumLevel(LogLevel.Debug)
            .AddOpenTelemetry(o =>
            {
                o.SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("coordinator", serviceInstanceId: "coordinator-1"));
                o.AddOtlpExporter((exporter, processor) =>
                {
                    exporter.Endpoint = endpoint;
                    exporter.Protocol = protocol;
                    exporter.TimeoutMilliseconds = 5000;
                    processor.ExportProcessorType = ExportProcessorType.Simple;
                });
            }));

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string detailContains)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Contains(detailContains, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("/v1/logs", problem.RootElement.GetProperty("instance").GetString());
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
}

internal static class LogRecordExtensions
{
    public static LogRecord Also(this LogRecord record, Action<LogRecord> change)
    {
        change(record);
        return record;
    }
}
