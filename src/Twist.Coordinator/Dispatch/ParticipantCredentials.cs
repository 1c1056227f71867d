using System.Text;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;
using Twist.Protocol;

namespace Twist.Coordinator.Dispatch;

/// <summary>Computes the credential headers (bearer token, HMAC signature) the coordinator sends to participants.</summary>
internal sealed class ParticipantCredentials(IOptions<TwistCoordinatorOptions> options, TimeProvider timeProvider)
{
    private readonly string? bearer = options.Value.ParticipantCredential.BearerToken;
    private readonly byte[]? hmacKey = options.Value.ParticipantCredential.HmacKey is { } k ? Encoding.UTF8.GetBytes(k) : null;

    /// <summary>Calls <paramref name="add"/> for each header to send.</summary>
    /// <param name="method">The HTTP method (POST for gRPC).</param>
    /// <param name="uri">The request URI, as signed.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="phase">The phase.</param>
    /// <param name="epoch">The fencing epoch sent with the call, covered by the signature; 0 when none is sent.</param>
    /// <param name="add">Adds one header.</param>
    public void Apply(string method, Uri uri, string tid, string phase, long epoch, Action<string, string> add)
    {
        if (bearer is not null)
        {
            add("Authorization", "Bearer " + bearer);
        }

        if (hmacKey is not null)
        {
            var ts = timeProvider.GetUtcNow().ToUnixTimeSeconds();
            add(TwistHeaders.SignatureTimestamp, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            add(TwistHeaders.Signature, TwistSignature.Compute(hmacKey, method, uri.AbsoluteUri, tid, phase, ts, epoch));
        }
    }
}
