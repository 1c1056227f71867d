using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;

namespace Twist.Participants.Endpoints;

/// <summary>
/// Writes the participant endpoints' answers: the seed's Try answer, phase acknowledgements and RFC 9457 problems.
/// Written by hand with <see cref="Utf8JsonWriter"/> (no reflection) and buffered, so each answer has a Content-Length
/// and the caller's Try-answer inspection never has to guess the size.
/// </summary>
internal static class ParticipantResponses
{
    public const string ProblemContentType = "application/problem+json";
    public const string TypeBase = "https://twist.dev/problems/";

    /// <summary>Writes <c>{"tid","participantLink":{"uri","expires"},"result"?}</c>.</summary>
    public static Task WriteTryAnswerAsync<TResult>(
        HttpContext context, string tid, Uri link, DateTimeOffset expires, TResult? result, JsonTypeInfo<TResult>? resultJson)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("tid", tid);
            writer.WriteStartObject("participantLink");
            writer.WriteString("uri", link.AbsoluteUri);
            writer.WriteString("expires", expires);
            writer.WriteEndObject();
            if (resultJson is not null && result is not null)
            {
                writer.WritePropertyName("result");
                JsonSerializer.Serialize(writer, result, resultJson);
            }

            writer.WriteEndObject();
        }

        return WriteAsync(context, StatusCodes.Status200OK, "application/json", buffer.WrittenMemory);
    }

    /// <summary>Writes the 200 answer of a Confirm or Cancel: <c>{"tid","participant","phase","outcome"}</c>.</summary>
    public static Task WritePhaseAnswerAsync(HttpContext context, string tid, string participant, string phase, string outcome)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("tid", tid);
            writer.WriteString("participant", participant);
            writer.WriteString("phase", phase);
            writer.WriteString("outcome", outcome);
            writer.WriteEndObject();
        }

        return WriteAsync(context, StatusCodes.Status200OK, "application/json", buffer.WrittenMemory);
    }

    /// <summary>Writes an RFC 9457 problem with the Twist extensions (<c>code</c>, <c>tid</c>, <c>traceId</c>).</summary>
    public static Task WriteProblemAsync(HttpContext context, int status, string code, string title, string detail, string? tid = null)
    {
        if (context.Response.HasStarted)
        {
            // Too late for a problem document: the status line is on the wire. Abort so the client sees a failure.
            context.Abort();
            return Task.CompletedTask;
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", TypeBase + code);
            writer.WriteString("title", title);
            writer.WriteNumber("status", status);
            writer.WriteString("detail", detail);
            writer.WriteString("instance", context.Request.Path.Value);
            writer.WriteString("code", code);
            if (tid is not null)
            {
                writer.WriteString("tid", tid);
            }

            writer.WriteString("traceId", Activity.Current?.Id ?? context.TraceIdentifier);
            writer.WriteBoolean("success", false);
            writer.WriteEndObject();
        }

        return WriteAsync(context, status, ProblemContentType, buffer.WrittenMemory);
    }

    private static Task WriteAsync(HttpContext context, int status, string contentType, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        return response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
