using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;
using Twist.Protocol;

namespace Twist.Coordinator.Dispatch;

/// <summary>
/// Delivers Confirm (PUT link) and Cancel (DELETE link) over HTTP, or a Brobridge v1 task's own action method and URI.
/// The driver's span is the call's span: this adds its HTTP attributes and its trace context (see <see cref="ParticipantCallTracing"/>).
/// </summary>
internal sealed class HttpParticipantTransport(
    IHttpClientFactory httpClientFactory,
    ParticipantCredentials credentials,
    IOptions<TwistCoordinatorOptions> options) : IParticipantTransport
{
    public const string HttpClientName = "Twist.Coordinator.Participants";

    private const int StatusCodes412 = 412; // Precondition Failed: the guard's answer to a call under an overtaken epoch

    private readonly TimeSpan callTimeout = options.Value.ParticipantCallTimeout;

    public bool CanDeliver(Uri uri) => uri.Scheme is "http" or "https";

    public async Task<DeliveryResult> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var target = request.Participant.Target;
        var action = request.IsConfirm ? target.ConfirmAction : target.CancelAction;
        var method = action is null ? (request.IsConfirm ? HttpMethod.Put : HttpMethod.Delete) : new HttpMethod(action.Method.ToUpperInvariant());
        var uri = action?.Uri ?? target.Uri;

        using var message = new HttpRequestMessage(method, uri);
        message.Headers.TryAddWithoutValidation(TwistHeaders.TransactionId, request.Tid);
        message.Headers.TryAddWithoutValidation(TwistHeaders.Phase, request.Phase);
        message.Headers.TryAddWithoutValidation(TwistHeaders.PhaseCompat, request.Phase);
        if (target.TaskId is not null)
        {
            message.Headers.TryAddWithoutValidation(TwistHeaders.TaskId, target.TaskId);
            foreach (var header in action?.Headers ?? new Dictionary<string, string>())
            {
                message.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            if (method != HttpMethod.Delete)
            {
                // v1 participants read the phase from a JSON body as well as from the headers.
                message.Content = new ByteArrayContent(TaskBody(request.Tid, target.TaskId, request.Phase));
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }
        }

        if (request.Epoch > 0)
        {
            message.Headers.TryAddWithoutValidation(TwistHeaders.Epoch, request.Epoch.ToString(CultureInfo.InvariantCulture));
        }

        credentials.Apply(method.Method, uri, request.Tid, request.Phase, request.Epoch, (name, value) => message.Headers.TryAddWithoutValidation(name, value));
        ParticipantCallTracing.Inject(message);
        var span = ParticipantCallTracing.CallSpan();

        // The path only: a query string could carry a participant's secret, and the attribute is exported.
        span?.SetTag("http.request.method", method.Method).SetTag("url.full", uri.GetLeftPart(UriPartial.Path)).SetTag("server.port", uri.Port);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(callTimeout);
        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            span?.SetTag("http.response.status_code", status);
            if (status >= 400)
            {
                span?.SetTag("error.type", status.ToString(CultureInfo.InvariantCulture));
            }

            if (status == StatusCodes412 && SupersededBy(response, request.Epoch) is { } newer)
            {
                return new DeliveryResult(DeliveryOutcome.Superseded, status, $"{method} {uri.GetLeftPart(UriPartial.Path)} refused epoch {request.Epoch}: the participant saw epoch {newer}");
            }

            var outcome = DeliveryClassifier.Classify(status, request.IsConfirm);
            return new DeliveryResult(outcome, status, outcome == DeliveryOutcome.Done ? null : $"{method} {uri.GetLeftPart(UriPartial.Path)} answered {status} {response.ReasonPhrase}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            span?.SetTag("error.type", "timeout");
            return new DeliveryResult(DeliveryOutcome.Transient, null, $"{method} {uri.GetLeftPart(UriPartial.Path)} timed out after {callTimeout.TotalMilliseconds:0} ms");
        }
        catch (HttpRequestException ex)
        {
            span?.SetTag("error.type", typeof(HttpRequestException).FullName);
            return new DeliveryResult(DeliveryOutcome.Transient, null, $"{method} {uri.GetLeftPart(UriPartial.Path)} failed: {ex.Message}");
        }
    }

    /// <summary>The higher epoch a 412 answer names, or null: a 412 without one is an ordinary failure (retried, then parked).</summary>
    private static long? SupersededBy(HttpResponseMessage response, long epoch) =>
        epoch > 0
        && response.Headers.TryGetValues(TwistHeaders.Epoch, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var seen)
        && seen > epoch
            ? seen
            : null;

    private static byte[] TaskBody(string tid, string taskId, string phase)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("transactionID", tid);
            writer.WriteString("taskID", taskId);
            writer.WriteString("phase", phase);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
