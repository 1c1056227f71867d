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
    public void Apply(string method, Uri uri, string tid, string phase, Action<string, string> add)
    {
        if (bearer is not null)
        {
            add("Authorization", "Bearer " + bearer);
        }

        if (hmacKey is not null)
        {
            var ts = timeProvider.GetUtcNow().ToUnixTimeSeconds();
            add(TwistHeaders.SignatureTimestamp, ts.ToString(System.Globalization.CultureInfo.InvariantCulture));
            add(TwistHeaders.Signature, TwistSignature.Compute(hmacKey, method, uri.AbsoluteUri, tid, phase, ts));
        }
    }
}
