using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Twist.Client.Diagnostics;
using Twist.Client.Internal;
using Twist.Protocol;
using Twist.Transactions;

namespace Twist.Client.Http;

/// <summary>
/// Propagates the active <see cref="TwistTransaction"/> to participants: adds the <c>Twist-Transaction-ID</c> and
/// <c>Twist-Deadline</c> headers to each request, and registers the participant link of a Try answer
/// (<c>{"tid","participantLink":{"uri","expires"}}</c>) with the transaction.
/// </summary>
/// <remarks>
/// The transaction is the one set on the request with <see cref="TwistTransaction.RequestOptionKey"/>, else
/// <see cref="TwistTransaction.Current"/>; requests made outside a transaction pass through untouched. Only successful
/// JSON answers of at most <see cref="MaxTryAnswerBytes"/> bytes are read; the body is buffered and handed on
/// unchanged, and larger or non-JSON bodies are not buffered at all.
/// </remarks>
public sealed class TwistTransactionHandler : DelegatingHandler
{
    /// <summary>The largest response body inspected for a Try answer.</summary>
    public const int MaxTryAnswerBytes = 16 * 1024;

    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="TwistTransactionHandler"/> class.</summary>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    public TwistTransactionHandler(ILogger<TwistTransactionHandler>? logger = null)
    {
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Formats a deadline the way the <c>Twist-Deadline</c> header carries it (RFC 3339, UTC, milliseconds).</summary>
    /// <param name="deadline">The deadline.</param>
    /// <returns>For example <c>2020-03-10T16:15:00.000Z</c>.</returns>
    public static string FormatDeadline(DateTimeOffset deadline) =>
        deadline.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var transaction = request.Options.TryGetValue(TwistTransaction.RequestOptionKey, out var explicitTransaction)
            ? explicitTransaction
            : TwistTransaction.Current;
        if (transaction is null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        request.Headers.Remove(TwistHeaders.TransactionId);
        request.Headers.Remove(TwistHeaders.Deadline);
        request.Headers.TryAddWithoutValidation(TwistHeaders.TransactionId, transaction.Tid);
        request.Headers.TryAddWithoutValidation(TwistHeaders.Deadline, FormatDeadline(transaction.Deadline));

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode && IsSmallJson(response.Content))
        {
            await InspectAsync(transaction, request, response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private static bool IsSmallJson(HttpContent? content)
    {
        var mediaType = content?.Headers.ContentType?.MediaType;
        if (mediaType is null
            || !(mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }

        return content!.Headers.ContentLength is not { } length || length <= MaxTryAnswerBytes;
    }

    private static void CopyHeaders(HttpContent from, HttpContent to)
    {
        foreach (var header in from.Headers)
        {
            to.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    private async Task InspectAsync(TwistTransaction transaction, HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var original = response.Content;

        // Read at most one byte past the limit, so a chunked answer of unknown length is never buffered whole.
        var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxTryAnswerBytes + 1];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += n;
        }

        if (read > MaxTryAnswerBytes)
        {
            // Too big to be a Try answer: hand the body on intact (what was read, then the rest of the stream).
            var passThrough = new StreamContent(new PrefixedStream(buffer, read, stream));
            CopyHeaders(original, passThrough);
            response.Content = passThrough;
            return;
        }

        var buffered = new ByteArrayContent(buffer, 0, read);
        CopyHeaders(original, buffered);
        response.Content = buffered;
        original.Dispose();

        TryAnswer? answer;
        try
        {
            answer = JsonSerializer.Deserialize(buffer.AsSpan(0, read), TwistClientJsonContext.Default.TryAnswer);
        }
        catch (JsonException)
        {
            answer = null;
        }

        if (answer?.ParticipantLink is not { Uri: { } uriText, Expires: { } expires }
            || !Uri.TryCreate(uriText, UriKind.Absolute, out var uri))
        {
            logger.NotATryAnswer(transaction.Tid, request.RequestUri);
            return;
        }

        if (answer.Tid is { } answerTid && !string.Equals(answerTid, transaction.Tid, StringComparison.Ordinal))
        {
            logger.TryAnswerTidMismatch(transaction.Tid, answerTid, request.RequestUri);
            return;
        }

        if (transaction.TryAddParticipant(new ParticipantLink(uri, expires), out var state))
        {
            logger.TryAnswerRegistered(transaction.Tid, uri);
        }
        else
        {
            logger.TryAnswerTooLate(transaction.Tid, request.RequestUri, state);
        }
    }

    /// <summary>A read-only stream that replays a buffered prefix, then continues with the rest of the original stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : Stream
    {
        private int position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (position < prefixLength)
            {
                var n = Math.Min(buffer.Length, prefixLength - position);
                prefix.AsSpan(position, n).CopyTo(buffer);
                position += n;
                return n;
            }

            return rest.Read(buffer);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (position < prefixLength)
            {
                return ValueTask.FromResult(Read(buffer.Span));
            }

            return rest.ReadAsync(buffer, cancellationToken);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
