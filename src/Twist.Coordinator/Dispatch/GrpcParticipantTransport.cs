using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;
using Twist.Protocol.V1;

namespace Twist.Coordinator.Dispatch;

/// <summary>
/// Delivers Confirm/Cancel to participants that registered <c>grpc://host:port/path</c> (plain HTTP/2) or
/// <c>grpcs://</c> (TLS) links, through the <c>twist.v1.Participant</c> service. One channel per authority is kept.
/// </summary>
internal sealed class GrpcParticipantTransport(
    IHttpClientFactory httpClientFactory,
    ParticipantCredentials credentials,
    IOptions<TwistCoordinatorOptions> options) : IParticipantTransport, IDisposable
{
    /// <summary>The metadata key of <see cref="Twist.Protocol.TwistHeaders.Epoch"/> (gRPC keys are lower case).</summary>
    public const string EpochKey = "twist-epoch";

    private readonly ConcurrentDictionary<string, GrpcChannel> channels = new(StringComparer.Ordinal);
    private readonly TimeSpan callTimeout = options.Value.ParticipantCallTimeout;

    public bool CanDeliver(Uri uri) => uri.Scheme is "grpc" or "grpcs";

    public async Task<DeliveryResult> DeliverAsync(DeliveryRequest request, CancellationToken cancellationToken)
    {
        var uri = request.Participant.Target.Uri;
        var channel = channels.GetOrAdd(uri.Authority + "|" + uri.Scheme, _ => CreateChannel(uri));
        var client = new Participant.ParticipantClient(channel);
        var headers = new Metadata
        {
            { Twist.Protocol.TwistHeaders.TransactionId, request.Tid },
            { Twist.Protocol.TwistHeaders.Phase, request.Phase },
        };
        if (request.Epoch > 0)
        {
            headers.Add(EpochKey, request.Epoch.ToString(CultureInfo.InvariantCulture));
        }

        credentials.Apply("POST", uri, request.Tid, request.Phase, request.Epoch, (name, value) => headers.Add(name.ToLowerInvariant(), value));
        ParticipantCallTracing.Inject(headers);
        var span = ParticipantCallTracing.CallSpan();
        span?.SetTag("rpc.system", "grpc").SetTag("rpc.service", "twist.v1.Participant").SetTag("rpc.method", request.IsConfirm ? "Confirm" : "Cancel").SetTag("server.port", uri.Port);
        var phaseRequest = new PhaseRequest { Tid = request.Tid, LinkPath = uri.PathAndQuery };
        var callOptions = new CallOptions(headers, DateTime.UtcNow + callTimeout, cancellationToken);
        try
        {
            if (request.IsConfirm)
            {
                await client.ConfirmAsync(phaseRequest, callOptions).ConfigureAwait(false);
            }
            else
            {
                await client.CancelAsync(phaseRequest, callOptions).ConfigureAwait(false);
            }

            span?.SetTag("rpc.grpc.status_code", (int)StatusCode.OK);
            return DeliveryResult.Done((int)StatusCode.OK);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            span?.SetTag("rpc.grpc.status_code", (int)ex.StatusCode).SetTag("error.type", ex.StatusCode.ToString());
            // ABORTED with a higher twist-epoch trailer is the guard's refusal of an overtaken epoch (HTTP's 412).
            if (ex.StatusCode == StatusCode.Aborted && request.Epoch > 0
                && long.TryParse(ex.Trailers.GetValue(EpochKey), NumberStyles.None, CultureInfo.InvariantCulture, out var seen) && seen > request.Epoch)
            {
                return new DeliveryResult(DeliveryOutcome.Superseded, (int)ex.StatusCode, $"gRPC {request.Phase} to {uri.Authority} refused epoch {request.Epoch}: the participant saw epoch {seen}");
            }

            var outcome = ex.StatusCode switch
            {
                StatusCode.NotFound when !request.IsConfirm => DeliveryOutcome.Done,
                StatusCode.NotFound or StatusCode.FailedPrecondition => DeliveryOutcome.Heuristic,
                _ => DeliveryOutcome.Transient,
            };
            return new DeliveryResult(outcome, (int)ex.StatusCode, outcome == DeliveryOutcome.Done ? null : $"gRPC {request.Phase} to {uri.Authority} failed: {ex.StatusCode} {ex.Status.Detail}");
        }
    }

    public void Dispose()
    {
        foreach (var channel in channels.Values)
        {
            channel.Dispose();
        }
    }

    private GrpcChannel CreateChannel(Uri uri)
    {
        var address = new UriBuilder(uri.Scheme == "grpcs" ? "https" : "http", uri.Host, uri.Port).Uri;
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            // The same guarded handler as HTTP participants: the SSRF check runs on every resolved address.
            HttpClient = httpClientFactory.CreateClient(HttpParticipantTransport.HttpClientName),
            DisposeHttpClient = true,
        });
    }
}
