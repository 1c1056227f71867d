using System.Net;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;
using Twist.Errors;

namespace Twist.Coordinator.Security;

/// <summary>
/// Decides whether a participant link may be called: an absolute http, https or grpc URI, no credentials in it,
/// not too long, a host on the allow-list, and never a metadata or link-local address (the SSRF guard).
/// </summary>
internal sealed class ParticipantLinkPolicy
{
    private readonly HostPattern[] allowed;
    private readonly int maxLength;

    public ParticipantLinkPolicy(IOptions<TwistCoordinatorOptions> options)
    {
        var value = options.Value;
        maxLength = value.MaxLinkLength;
        allowed = value.AllowedParticipantHosts
            .Select(h => HostPattern.TryParse(h, out var p, out _) ? p! : null)
            .Where(p => p is not null)
            .ToArray()!;
    }

    /// <summary>Returns null when the link is acceptable, else a sentence saying what is wrong and how to fix it.</summary>
    public string? Check(Uri? uri)
    {
        if (uri is null)
        {
            return "the link URI is missing.";
        }

        if (!uri.IsAbsoluteUri)
        {
            return $"'{Shorten(uri.OriginalString)}' is not an absolute URI; send e.g. http://bank.internal/transaction/42.";
        }

        if (uri.OriginalString.Length > maxLength)
        {
            return $"the URI is {uri.OriginalString.Length} characters long; the limit is {maxLength} (Twist:Coordinator:MaxLinkLength).";
        }

        if (uri.Scheme is not ("http" or "https" or "grpc" or "grpcs"))
        {
            return $"the scheme '{uri.Scheme}' is not allowed; use http, https, grpc or grpcs.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "the URI carries credentials (user info); the coordinator sends its configured credential instead.";
        }

        var host = uri.IdnHost;
        if (ForbiddenAddresses.IsForbiddenHostName(host)
            || (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && ForbiddenAddresses.IsForbidden(ip)))
        {
            return $"the host '{host}' is a metadata, link-local or reserved address, which participant links may never point to.";
        }

        if (!allowed.Any(p => p.Matches(host)))
        {
            return $"the host '{host}' is not in Twist:Coordinator:AllowedParticipantHosts; add it (or a *.suffix or CIDR range covering it) to allow calls to it.";
        }

        return null;
    }

    /// <summary>Throws a <see cref="TwistValidationException"/> naming the field when the link is not acceptable.</summary>
    public void Ensure(Uri? uri, string field)
    {
        if (Check(uri) is { } error)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidParticipantLink, field, error);
        }
    }

    private static string Shorten(string s) => s.Length <= 80 ? s : s[..80] + "…";
}
