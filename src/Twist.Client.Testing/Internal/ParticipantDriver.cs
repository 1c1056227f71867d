using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Twist.Protocol;

namespace Twist.Testing.Internal;

/// <summary>Speaks the participant protocol as a caller (Try) and as the coordinator (Confirm <c>PUT</c>, Cancel <c>DELETE</c>, with its credential).</summary>
internal sealed class ParticipantDriver(HttpClient http, Uri tryUri, ParticipantConformanceOptions options)
{
    public Uri TryUri => tryUri;

    /// <summary>The link of a transaction whose Try never answered one: <c>{try endpoint}/{tid}</c>, the SDK's convention.</summary>
    public Uri GuessLink(string tid) => new(tryUri.AbsoluteUri.TrimEnd('/') + "/" + tid);

    public async Task<PhaseCall> TryAsync(string tid, HttpContent content, string label, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tryUri) { Content = content };
        request.Headers.TryAddWithoutValidation(TwistHeaders.TransactionId, tid);
        request.Headers.TryAddWithoutValidation(TwistHeaders.Deadline, (DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30)).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        return await SendAsync(request, label, readLink: true, cancellationToken).ConfigureAwait(false);
    }

    public Task<PhaseCall> ConfirmAsync(string tid, Uri link, string label, CancellationToken cancellationToken) =>
        PhaseAsync(HttpMethod.Put, TwistHeaders.PhaseConfirm, tid, link, label, cancellationToken);

    public Task<PhaseCall> CancelAsync(string tid, Uri link, string label, CancellationToken cancellationToken) =>
        PhaseAsync(HttpMethod.Delete, TwistHeaders.PhaseCancel, tid, link, label, cancellationToken);

    private async Task<PhaseCall> PhaseAsync(HttpMethod method, string phase, string tid, Uri link, string label, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, link);
        request.Headers.TryAddWithoutValidation(TwistHeaders.TransactionId, tid);
        request.Headers.TryAddWithoutValidation(TwistHeaders.Phase, phase);
        request.Headers.TryAddWithoutValidation(TwistHeaders.PhaseCompat, phase);
        if (options.CoordinatorBearerToken is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (options.CoordinatorHmacKey is { } key)
        {
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            request.Headers.TryAddWithoutValidation(TwistHeaders.SignatureTimestamp, timestamp.ToString(CultureInfo.InvariantCulture));
            request.Headers.TryAddWithoutValidation(TwistHeaders.Signature, TwistSignature.Compute(Encoding.UTF8.GetBytes(key), method.Method, link.AbsoluteUri, tid, phase, timestamp));
        }

        return await SendAsync(request, label, readLink: false, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PhaseCall> SendAsync(HttpRequestMessage request, string label, bool readLink, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.CallTimeout);
        try
        {
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            var (code, link, expires) = Parse(body);
            if (readLink && response.IsSuccessStatusCode && link is null)
            {
                return new PhaseCall(label, status, "without a participantLink {\"uri\",\"expires\"} in its body");
            }

            return new PhaseCall(label, status, code ?? string.Empty, link, expires);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return new PhaseCall(label, 0, ex is OperationCanceledException ? $"no answer within {options.CallTimeout}" : ex.Message);
        }
    }

    /// <summary>Reads the problem code, or the Try answer's participant link, from a JSON body; anything else is ignored.</summary>
    private static (string? Code, Uri? Link, DateTimeOffset? Expires) Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            if (root.TryGetProperty("participantLink", out var link) && link.ValueKind == JsonValueKind.Object
                && link.TryGetProperty("uri", out var uri) && Uri.TryCreate(uri.GetString(), UriKind.Absolute, out var parsed))
            {
                DateTimeOffset? expires = link.TryGetProperty("expires", out var e) && e.TryGetDateTimeOffset(out var at) ? at : null;
                return (code, parsed, expires);
            }

            return (code, null, null);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }
}
