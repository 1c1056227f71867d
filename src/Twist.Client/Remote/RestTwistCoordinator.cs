using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Twist.Client.Diagnostics;
using Twist.Client.Internal;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Client.Remote;

/// <summary>
/// Implements <see cref="ITwistCoordinator"/> over a hosted coordinator's REST API (<c>/api/v1/transactions</c>),
/// turning <c>application/problem+json</c> answers back into the typed Twist exceptions.
/// </summary>
/// <remarks>
/// Connection failures become <see cref="CoordinatorUnavailableException"/>; the <see cref="HttpClient.Timeout"/> running
/// out becomes <see cref="TimeoutException"/>; the caller's own cancellation stays <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class RestTwistCoordinator : ITwistCoordinator
{
    /// <summary>The header that carries the API key.</summary>
    public const string ApiKeyHeader = "X-Api-Key";

    private readonly HttpClient httpClient;
    private readonly Uri transactionsUri;
    private readonly string? apiKey;
    private readonly ILogger logger;

    /// <summary>Initializes a new instance of the <see cref="RestTwistCoordinator"/> class.</summary>
    /// <param name="httpClient">The HttpClient to send with; its <see cref="HttpClient.Timeout"/> bounds each call.</param>
    /// <param name="address">The coordinator's base address, for example <c>http://127.0.0.1:5080</c>.</param>
    /// <param name="apiKey">The API key to send in <c>X-Api-Key</c>; <see langword="null"/> for none.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="address"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="address"/> is not an absolute URI.</exception>
    public RestTwistCoordinator(HttpClient httpClient, Uri address, string? apiKey = null, ILogger<RestTwistCoordinator>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(address);
        if (!address.IsAbsoluteUri)
        {
            throw new ArgumentException($"The coordinator address '{address}' must be an absolute URI.", nameof(address));
        }

        this.httpClient = httpClient;
        var baseUri = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
        transactionsUri = new Uri(baseUri, "api/v1/transactions");
        this.apiKey = apiKey;
        this.logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc/>
    public Task<TransactionInfo> BeginAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var body = new BeginBody(timeout is { } t ? (long)Math.Ceiling(t.TotalMilliseconds) : null);
        return SendAsync(HttpMethod.Post, transactionsUri, Content(body, TwistClientJsonContext.Default.BeginBody), tid: null, "begin", cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TransactionInfo> RegisterAsync(string tid, IReadOnlyList<ParticipantLink> links, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tid);
        ArgumentNullException.ThrowIfNull(links);
        var body = new LinksBody(null, [.. links.Select(WireMapper.ToBody)]);
        return SendAsync(HttpMethod.Put, TransactionUri(tid), Content(body, TwistClientJsonContext.Default.LinksBody), tid, "register", cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TransactionInfo> ConfirmAsync(string tid, IReadOnlyList<ParticipantLink>? links = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tid);
        var body = new LinksBody(tid, [.. (links ?? []).Select(WireMapper.ToBody)]);
        return SendAsync(HttpMethod.Post, TransactionUri(tid, "/confirm"), Content(body, TwistClientJsonContext.Default.LinksBody), tid, "confirm", cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TransactionInfo> CancelAsync(string tid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tid);
        return SendAsync(HttpMethod.Post, TransactionUri(tid, "/cancel"), content: null, tid, "cancel", cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TransactionInfo> GetAsync(string tid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(tid);
        return SendAsync(HttpMethod.Get, TransactionUri(tid), content: null, tid, "get", cancellationToken);
    }

    private static JsonContent Content<T>(T value, JsonTypeInfo<T> typeInfo) => JsonContent.Create(value, typeInfo);

    private static T? TryDeserialize<T>(JsonElement element, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return element.Deserialize(typeInfo);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? CodeFromType(string? type)
    {
        if (string.IsNullOrEmpty(type))
        {
            return null;
        }

        var slash = type.TrimEnd('/').LastIndexOf('/');
        return slash >= 0 ? type[(slash + 1)..] : type;
    }

    private Uri TransactionUri(string tid, string suffix = "") =>
        new(transactionsUri.AbsoluteUri + "/" + Uri.EscapeDataString(tid) + suffix);

    private async Task<TransactionInfo> SendAsync(HttpMethod method, Uri uri, HttpContent? content, string? tid, string operation, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("application/problem+json");
        if (apiKey is not null)
        {
            request.Headers.TryAddWithoutValidation(ApiKeyHeader, apiKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await httpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            var timeout = new TimeoutException($"The coordinator at {transactionsUri.GetLeftPart(UriPartial.Authority)} did not answer {operation} within {httpClient.Timeout}.", ex);
            logger.CoordinatorCallFailed(timeout, operation, "timeout");
            throw timeout;
        }
        catch (HttpRequestException ex)
        {
            var unavailable = new CoordinatorUnavailableException(
                $"The coordinator at {transactionsUri.GetLeftPart(UriPartial.Authority)} could not be reached for {operation}: {ex.Message}", ex)
            {
                Tid = tid,
            };
            logger.CoordinatorCallFailed(unavailable, operation, unavailable.Code);
            throw unavailable;
        }

        using (response)
        {
            var json = await ReadJsonAsync(response, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && json is { ValueKind: JsonValueKind.Object } ok
                && TryDeserialize(ok, TwistClientJsonContext.Default.TransactionBody) is { } body)
            {
                return WireMapper.ToInfo(body, tid);
            }

            var exception = await ToExceptionAsync(response.StatusCode, json, tid, operation, cancellationToken).ConfigureAwait(false);
            logger.CoordinatorCallFailed(exception, operation, exception.Code);
            throw exception;
        }
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<TwistException> ToExceptionAsync(HttpStatusCode status, JsonElement? json, string? tid, string operation, CancellationToken cancellationToken)
    {
        ProblemBody? problem = null;
        TransactionBody? transactionBody = null;
        if (json is { ValueKind: JsonValueKind.Object } element)
        {
            var looksLikeProblem = element.TryGetProperty("type", out _) || element.TryGetProperty("code", out _) || element.TryGetProperty("title", out _);
            if (looksLikeProblem)
            {
                problem = TryDeserialize(element, TwistClientJsonContext.Default.ProblemBody);
                transactionBody = problem?.Transaction;
            }
            else if (element.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String)
            {
                // A 409 may carry the transaction itself (its outcome) rather than a problem.
                transactionBody = TryDeserialize(element, TwistClientJsonContext.Default.TransactionBody);
            }
        }

        var code = problem?.Code ?? CodeFromType(problem?.Type) ?? DefaultCode(status);
        var message = problem?.Detail ?? problem?.Title ?? $"The coordinator answered {operation} with HTTP {(int)status} {status}.";
        tid ??= problem?.Tid;

        switch (code)
        {
            case TwistErrorCodes.TransactionNotFound when tid is not null:
                return new TransactionNotFoundException(tid);
            case TwistErrorCodes.TransactionConflict when tid is not null:
                var info = transactionBody is not null ? WireMapper.ToInfo(transactionBody, tid) : await FetchForConflictAsync(tid, operation, cancellationToken).ConfigureAwait(false);
                return new TransactionConflictException(info, message);
            case TwistErrorCodes.InvalidRequest or TwistErrorCodes.InvalidParticipantLink or TwistErrorCodes.TooManyParticipants or TwistErrorCodes.PayloadTooLarge:
                var errors = problem?.Errors is { Count: > 0 } e
                    ? (IReadOnlyDictionary<string, string[]>)e
                    : WireMapper.SingleError(message);
                return new TwistValidationException(code, errors) { Tid = tid };
            case TwistErrorCodes.Unavailable:
                return new CoordinatorUnavailableException(message) { Tid = tid };
            default:
                return new TwistException(code, message) { Tid = tid };
        }
    }

    private static string DefaultCode(HttpStatusCode status) => status switch
    {
        HttpStatusCode.NotFound => TwistErrorCodes.TransactionNotFound,
        HttpStatusCode.Conflict => TwistErrorCodes.TransactionConflict,
        HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity => TwistErrorCodes.InvalidRequest,
        HttpStatusCode.RequestEntityTooLarge => TwistErrorCodes.PayloadTooLarge,
        HttpStatusCode.Unauthorized => TwistErrorCodes.Unauthorized,
        HttpStatusCode.Forbidden => TwistErrorCodes.Forbidden,
        _ when (int)status >= 500 => TwistErrorCodes.Unavailable,
        _ => TwistErrorCodes.InvalidRequest,
    };

    private async Task<TransactionInfo> FetchForConflictAsync(string tid, string operation, CancellationToken cancellationToken)
    {
        try
        {
            return await GetAsync(tid, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception fetchError) when (fetchError is TwistException or TimeoutException)
        {
            // The conflict itself tells the outcome: a refused confirm means cancelled, a refused cancel means confirmed.
            return WireMapper.Unknown(tid, operation == "cancel" ? TransactionStatus.Confirmed : TransactionStatus.Cancelled);
        }
    }
}
