using System.Net;
using System.Net.Sockets;

namespace Twist.Coordinator.Security;

/// <summary>One entry of the participant host allow-list: an exact host, a <c>*.suffix</c> wildcard, an IP or a CIDR range.</summary>
internal sealed class HostPattern
{
    private readonly string? exactHost;
    private readonly string? suffix;
    private readonly IPAddress? network;
    private readonly int prefixLength;

    private HostPattern(string? exactHost, string? suffix, IPAddress? network, int prefixLength)
    {
        this.exactHost = exactHost;
        this.suffix = suffix;
        this.network = network;
        this.prefixLength = prefixLength;
    }

    public static bool TryParse(string text, out HostPattern? pattern, out string? error)
    {
        pattern = null;
        error = null;
        var value = text?.Trim() ?? string.Empty;
        if (value.Length == 0)
        {
            error = "it is empty.";
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (!IPAddress.TryParse(value.AsSpan(0, slash), out var net)
                || !int.TryParse(value.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var prefix)
                || prefix < 0 || prefix > (net.AddressFamily == AddressFamily.InterNetwork ? 32 : 128))
            {
                error = "a CIDR range must look like 10.0.0.0/8 or fd00::/8.";
                return false;
            }

            pattern = new HostPattern(null, null, net, prefix);
            return true;
        }

        if (IPAddress.TryParse(value, out var ip))
        {
            pattern = new HostPattern(null, null, ip, ip.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        if (value.StartsWith("*.", StringComparison.Ordinal) && value.Length > 2 && Uri.CheckHostName(value[2..]) == UriHostNameType.Dns)
        {
            pattern = new HostPattern(null, value[1..].ToLowerInvariant(), null, 0);
            return true;
        }

        if (Uri.CheckHostName(value) == UriHostNameType.Dns)
        {
            pattern = new HostPattern(value.ToLowerInvariant(), null, null, 0);
            return true;
        }

        error = "use a host name (bank.internal), a wildcard suffix (*.svc.cluster.local), an IP address or a CIDR range.";
        return false;
    }

    /// <summary>Matches a URI host as written in the link (name or literal address).</summary>
    public bool Matches(string host)
    {
        if (network is not null)
        {
            return IPAddress.TryParse(host.Trim('[', ']'), out var ip) && Contains(ip);
        }

        var lower = host.ToLowerInvariant();
        return exactHost is not null ? lower == exactHost : lower.EndsWith(suffix!, StringComparison.Ordinal);
    }

    private bool Contains(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != network!.AddressFamily)
        {
            return false;
        }

        var a = address.GetAddressBytes();
        var n = network.GetAddressBytes();
        var bits = prefixLength;
        for (var i = 0; i < a.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (byte)(0xFF << (8 - bits));
            if ((a[i] & mask) != (n[i] & mask))
            {
                return false;
            }
        }

        return true;
    }
}
