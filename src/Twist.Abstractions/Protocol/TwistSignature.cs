using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Twist.Protocol;

/// <summary>
/// Computes and checks the HMAC-SHA256 signature the coordinator puts on participant calls when it is configured with
/// a shared key: <c>hex(HMAC(key, METHOD \n uri \n tid \n phase \n unixSeconds))</c>, with <c>\n epoch</c> appended
/// when the call carries a fencing epoch (<see cref="TwistHeaders.Epoch"/>), so the epoch cannot be altered or
/// stripped without breaking the signature.
/// </summary>
public static class TwistSignature
{
    /// <summary>Computes the signature of one participant call.</summary>
    /// <param name="key">The shared secret.</param>
    /// <param name="method">The HTTP method, e.g. PUT.</param>
    /// <param name="uri">The absolute request URI.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="phase">The phase, confirm or cancel.</param>
    /// <param name="unixSeconds">The timestamp sent in <see cref="TwistHeaders.SignatureTimestamp"/>.</param>
    /// <returns>The lower-case hex signature.</returns>
    public static string Compute(ReadOnlySpan<byte> key, string method, string uri, string tid, string phase, long unixSeconds) =>
        Compute(key, method, uri, tid, phase, unixSeconds, epoch: 0);

    /// <summary>Computes the signature of one participant call that carries a fencing epoch.</summary>
    /// <param name="key">The shared secret.</param>
    /// <param name="method">The HTTP method, e.g. PUT.</param>
    /// <param name="uri">The absolute request URI.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="phase">The phase, confirm or cancel.</param>
    /// <param name="unixSeconds">The timestamp sent in <see cref="TwistHeaders.SignatureTimestamp"/>.</param>
    /// <param name="epoch">The epoch sent in <see cref="TwistHeaders.Epoch"/>; 0 when the call carries none (then the signature is the one without an epoch).</param>
    /// <returns>The lower-case hex signature.</returns>
    public static string Compute(ReadOnlySpan<byte> key, string method, string uri, string tid, string phase, long unixSeconds, long epoch)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(tid);
        ArgumentNullException.ThrowIfNull(phase);
        var payload = string.Join('\n', method.ToUpperInvariant(), uri, tid, phase, unixSeconds.ToString(CultureInfo.InvariantCulture));
        if (epoch > 0)
        {
            payload += "\n" + epoch.ToString(CultureInfo.InvariantCulture);
        }

        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload));
        return Convert.ToHexStringLower(mac);
    }

    /// <summary>Checks a signature in constant time and rejects timestamps outside the allowed skew.</summary>
    /// <param name="key">The shared secret.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="uri">The absolute request URI.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="phase">The phase.</param>
    /// <param name="unixSeconds">The timestamp the caller sent.</param>
    /// <param name="signature">The hex signature the caller sent.</param>
    /// <param name="now">The current time.</param>
    /// <param name="maxSkew">How far the timestamp may be from <paramref name="now"/>.</param>
    /// <returns><see langword="true"/> when the signature matches and is fresh.</returns>
    public static bool Verify(
        ReadOnlySpan<byte> key, string method, string uri, string tid, string phase, long unixSeconds, string signature,
        DateTimeOffset now, TimeSpan maxSkew) =>
        Verify(key, method, uri, tid, phase, unixSeconds, epoch: 0, signature, now, maxSkew);

    /// <summary>Checks the signature of a call that carries a fencing epoch, in constant time, and rejects timestamps outside the allowed skew.</summary>
    /// <param name="key">The shared secret.</param>
    /// <param name="method">The HTTP method.</param>
    /// <param name="uri">The absolute request URI.</param>
    /// <param name="tid">The transaction id.</param>
    /// <param name="phase">The phase.</param>
    /// <param name="unixSeconds">The timestamp the caller sent.</param>
    /// <param name="epoch">The epoch the caller sent; 0 when it sent none.</param>
    /// <param name="signature">The hex signature the caller sent.</param>
    /// <param name="now">The current time.</param>
    /// <param name="maxSkew">How far the timestamp may be from <paramref name="now"/>.</param>
    /// <returns><see langword="true"/> when the signature matches and is fresh.</returns>
    public static bool Verify(
        ReadOnlySpan<byte> key, string method, string uri, string tid, string phase, long unixSeconds, long epoch, string signature,
        DateTimeOffset now, TimeSpan maxSkew)
    {
        ArgumentNullException.ThrowIfNull(signature);
        if (Math.Abs(now.ToUnixTimeSeconds() - unixSeconds) > maxSkew.TotalSeconds)
        {
            return false;
        }

        var expected = Compute(key, method, uri, tid, phase, unixSeconds, epoch);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));
    }
}
