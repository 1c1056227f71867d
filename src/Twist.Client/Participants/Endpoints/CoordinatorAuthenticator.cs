using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;
using Twist.Protocol;

namespace Twist.Participants.Endpoints;

/// <summary>
/// Checks that a Confirm or Cancel call comes from the coordinator: the bearer token and/or the HMAC signature the
/// coordinator's <c>ParticipantCredential</c> makes it send. When both are configured, both must be present and valid.
/// </summary>
internal sealed class CoordinatorAuthenticator
{
    /// <summary>How far a signature's timestamp may be from our clock; it bounds the replay window of a captured call.</summary>
    public static readonly TimeSpan MaxSkew = TimeSpan.FromMinutes(5);

    private readonly byte[]? bearerHash;
    private readonly byte[]? hmacKey;
    private readonly TimeProvider timeProvider;

    public CoordinatorAuthenticator(IOptions<TwistParticipantOptions> options, TimeProvider timeProvider)
    {
        var credential = options.Value.CoordinatorCredential;
        bearerHash = credential.BearerToken is { } token ? SHA256.HashData(Encoding.UTF8.GetBytes(token)) : null;
        hmacKey = credential.HmacKey is { } key ? Encoding.UTF8.GetBytes(key) : null;
        this.timeProvider = timeProvider;
    }

    public bool ExpectsBearer => bearerHash is not null;

    /// <summary>Checks the call; returns <see langword="null"/> when it is accepted, else why not (for the log, not the answer).</summary>
    /// <param name="context">The call.</param>
    /// <param name="tid">The transaction id of the route.</param>
    /// <param name="phase">The phase the method stands for.</param>
    /// <param name="link">The participant link as our Try answers build it: the URI the coordinator signed.</param>
    /// <param name="epoch">The <c>Twist-Epoch</c> the call carried (signed with it), or 0.</param>
    public string? Check(HttpContext context, string tid, string phase, Uri link, long epoch)
    {
        if (bearerHash is not null)
        {
            var header = context.Request.Headers.Authorization.ToString();
            const string Scheme = "Bearer ";
            if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
            {
                return "no bearer token";
            }

            // Hashing first makes the comparison constant-time in the token's length too.
            var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
            if (!CryptographicOperations.FixedTimeEquals(presented, bearerHash))
            {
                return "wrong bearer token";
            }
        }

        if (hmacKey is not null)
        {
            var signature = context.Request.Headers[TwistHeaders.Signature].ToString();
            var timestamp = context.Request.Headers[TwistHeaders.SignatureTimestamp].ToString();
            if (signature.Length == 0 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var unixSeconds))
            {
                return "no HMAC signature or timestamp";
            }

            var now = timeProvider.GetUtcNow();
            var method = context.Request.Method;

            // The coordinator signs the link it was given; behind a proxy that differs from the URL we were called at,
            // so accept either.
            var requested = context.Request.GetEncodedUrl();
            if (!TwistSignature.Verify(hmacKey, method, link.AbsoluteUri, tid, phase, unixSeconds, epoch, signature, now, MaxSkew)
                && !(requested != link.AbsoluteUri && TwistSignature.Verify(hmacKey, method, requested, tid, phase, unixSeconds, epoch, signature, now, MaxSkew)))
            {
                return "wrong or stale HMAC signature";
            }
        }

        return null;
    }
}
