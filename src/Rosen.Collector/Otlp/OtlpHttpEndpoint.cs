using System.IO.Compression;
using System.Net.Mime;
using System.Text.Json;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using OpenTelemetry.Proto.Collector.Logs.V1;
using OpenTelemetry.Proto.Collector.Trace.V1;
using Rosen.Collector.Internal;

namespace Rosen.Collector.Otlp;

/// <summary>
/// <c>POST /v1/traces</c> and <c>POST /v1/logs</c> with an OTLP/HTTP protobuf body (optionally gzip). Both signals
/// share every check: a refusal is problem+json with a 4xx status (413 too large, 415 wrong media type or encoding, 400
/// not an OTLP message); a store failure is 503 with <c>Retry-After</c>, which OTLP exporters retry.
/// </summary>
internal sealed class OtlpHttpEndpoint(
    SpanIngestion spans,
    LogIngestion logs,
    CollectorInstruments instruments,
    IOptions<RosenCollectorOptions> options,
    ILogger<OtlpHttpEndpoint> logger)
{
    public const string TracesPath = "/v1/traces";
    public const string LogsPath = "/v1/logs";
    private const string Protobuf = "application/x-protobuf";
    private const string Transport = "http";

    public Task HandleTracesAsync(HttpContext context) =>
        HandleAsync(context, ExportTraceServiceRequest.Parser, nameof(ExportTraceServiceRequest), spans.IngestAsync);

    public Task HandleLogsAsync(HttpContext context) =>
        HandleAsync(context, ExportLogsServiceRequest.Parser, nameof(ExportLogsServiceRequest), logs.IngestAsync);

    private async Task HandleAsync<TRequest, TResponse>(
        HttpContext context,
        MessageParser<TRequest> parser,
        string messageName,
        Func<TRequest, string, CancellationToken, Task<TResponse>> ingestAsync)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>
    {
        var limit = options.Value.MaxRequestBodySize;
        // Kestrel may read up to four times the limit, so a sender slightly over it still gets its 413 (the rest of the
        // body is read and dropped) instead of a reset connection; beyond that the connection is cut.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = (long)limit * 4;
        }

        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) || !mediaType.MediaType.Equals(Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            var detail = mediaType?.MediaType.Equals(MediaTypeNames.Application.Json, StringComparison.OrdinalIgnoreCase) == true
                ? "OTLP/JSON is not accepted; set the exporter's protocol to http/protobuf (OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf) or use gRPC."
                : $"The body must be {Protobuf} (an OTLP {messageName}).";
            await RejectAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", detail).ConfigureAwait(false);
            return;
        }

        var encoding = context.Request.Headers.ContentEncoding.ToString();
        var gzip = encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase);
        if (!gzip && encoding.Length != 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
        {
            await RejectAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported content encoding", $"Content-Encoding '{Shorten(encoding)}' is not supported; send gzip or no encoding.").ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentLength > limit)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body is {context.Request.ContentLength} bytes; the limit is {limit} (Rosen:Collector:MaxRequestBodySize).").ConfigureAwait(false);
            return;
        }

        byte[] body;
        try
        {
            body = await ReadLimitedAsync(context.Request.Body, gzip, limit, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BodyTooLargeException)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body is larger than {limit} bytes (Rosen:Collector:MaxRequestBodySize), before or after decompression.").ConfigureAwait(false);
            return;
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await RejectAsync(context, StatusCodes.Status413PayloadTooLarge, "Request too large", $"The body is larger than {limit} bytes (Rosen:Collector:MaxRequestBodySize).").ConfigureAwait(false);
            return;
        }
        catch (InvalidDataException)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, "Invalid gzip body", "Content-Encoding is gzip, but the body is not valid gzip data.").ConfigureAwait(false);
            return;
        }

        TRequest request;
        try
        {
            request = parser.ParseFrom(body);
        }
        catch (InvalidProtocolBufferException ex)
        {
            await RejectAsync(context, StatusCodes.Status400BadRequest, "Invalid OTLP request", $"The body is not an OTLP {messageName} ({ex.Message}).").ConfigureAwait(false);
            return;
        }

        TResponse response;
        try
        {
            response = await ingestAsync(request, Transport, context.RequestAborted).ConfigureAwait(false);
        }
        catch (SpanStoreUnavailableException)
        {
            context.Response.Headers.RetryAfter = "5";
            await RejectAsync(context, StatusCodes.Status503ServiceUnavailable, "Span store unavailable", "The data could not be stored; retry later.").ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = Protobuf;
        await context.Response.Body.WriteAsync(response.ToByteArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadLimitedAsync(Stream body, bool gzip, int limit, CancellationToken cancellationToken)
    {
        var source = gzip ? new GZipStream(body, CompressionMode.Decompress, leaveOpen: true) : body;
        try
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    if (!gzip)
                    {
                        while (await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false) > 0)
                        {
                            // Dropped: read only so the sender finishes writing and reads the 413.
                        }
                    }

                    throw new BodyTooLargeException();
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
        finally
        {
            if (gzip)
            {
                await source.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task RejectAsync(HttpContext context, int status, string title, string detail)
    {
        instruments.RejectedRequests.Add(1, new KeyValuePair<string, object?>("http.response.status_code", status));
        Log.RequestRejected(logger, Transport, status, detail);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/problem+json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("type", $"https://httpstatuses.io/{status}");
        writer.WriteString("title", title);
        writer.WriteNumber("status", status);
        writer.WriteString("detail", detail);
        writer.WriteString("instance", context.Request.Path.Value);
        writer.WriteString("traceId", System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private sealed class BodyTooLargeException : Exception;
}
