using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;
using Twist.Errors;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>
/// Reads JSON request bodies with a hard size limit and turns every way a body can be wrong into a 4xx problem:
/// too large (413), not JSON (415), malformed, not an object, wrong types or missing members (400).
/// </summary>
internal static class RequestBody
{
    /// <summary>Reads and deserializes the body; returns <see langword="null"/> when the body is empty.</summary>
    public static async Task<T?> ReadAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, long limit)
        where T : class
    {
        var request = context.Request;
        if (request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        if (request.ContentLength == 0 || context.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: false })
        {
            return null;
        }

        if (request.ContentLength > 0 && !IsJson(request.ContentType))
        {
            throw NotJson(request.ContentType);
        }

        // Kestrel enforces the same limit on chunked bodies, so a lying client cannot stream past it.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(request.ContentLength ?? 4096, 256), limit + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > limit)
                    {
                        throw TooLarge(limit);
                    }

                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)buffer.Length * 2, limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (length > limit)
                {
                    throw TooLarge(limit);
                }
            }

            var body = buffer.AsSpan(0, length);
            var start = body.StartsWith("\uFEFF"u8) ? 3 : 0; // a UTF-8 byte order mark is allowed (RFC 8259 §8.1)
            while (start < body.Length && body[start] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                start++;
            }

            if (start == body.Length)
            {
                return null;
            }

            if (!IsJson(request.ContentType))
            {
                throw NotJson(request.ContentType);
            }

            if (body[start] != (byte)'{')
            {
                throw new TwistValidationException(TwistErrorCodes.InvalidRequest, "$", "The request body must be a JSON object ({...}).");
            }

            try
            {
                return JsonSerializer.Deserialize(body[start..], typeInfo)
                    ?? throw new TwistValidationException(TwistErrorCodes.InvalidRequest, "$", "The request body must be a JSON object ({...}).");
            }
            catch (JsonException ex)
            {
                var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? "$" : ex.Path.StartsWith("$.", StringComparison.Ordinal) ? ex.Path[2..] : ex.Path;
                throw new TwistValidationException(TwistErrorCodes.InvalidRequest, field, Describe(ex));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsJson(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media))
        {
            return false;
        }

        if (media.Charset.HasValue && !media.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase);
    }

    private static ApiProblemException TooLarge(long limit) => new(
        StatusCodes.Status413PayloadTooLarge,
        TwistErrorCodes.PayloadTooLarge,
        $"The request body is larger than {limit} bytes (Twist:Api:MaxRequestBodySize).");

    private static ApiProblemException NotJson(string? contentType) => new(
        StatusCodes.Status415UnsupportedMediaType,
        ApiProblemCodes.UnsupportedMediaType,
        $"The request body must be JSON (Content-Type: application/json; charset utf-8); it was '{RequestValidation.Shorten(contentType ?? "none")}'.");

    private static string Describe(JsonException ex)
    {
        // System.Text.Json messages name .NET types and positions; keep the useful first sentence only.
        var message = ex.Message;
        if (message.Contains("missing required properties", StringComparison.Ordinal))
        {
            var at = message.IndexOf("including:", StringComparison.Ordinal);
            return at < 0 ? "A required member is missing." : "Required member(s) missing: " + message[(at + "including:".Length)..].Trim().TrimEnd('.') + ".";
        }

        if (message.Contains("Duplicate", StringComparison.OrdinalIgnoreCase))
        {
            return "A member appears more than once.";
        }

        if (ex.InnerException is null && message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return "The value has the wrong JSON type or format (numbers are plain integers of milliseconds, times are RFC 3339 strings, lists are arrays).";
        }

        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        var text = cut > 0 ? message[..cut] : message;
        return "The JSON is malformed: " + (text.Length > 200 ? text[..200] : text);
    }
}
