using System.Net;
using System.Net.Sockets;

namespace Twist.Coordinator.Security;

/// <summary>
/// Addresses a participant call must never reach, whatever the allow-list says: cloud metadata services and link-local
/// ranges (the classic SSRF targets), unspecified and multicast addresses. Checked on the link and again on every
/// address DNS returns, so a name that resolves to a metadata address is refused too.
/// </summary>
internal static class ForbiddenAddresses
{
    private static readonly string[] MetadataHostNames = ["metadata.google.internal", "metadata", "instance-data", "metadata.azure.internal"];

    public static bool IsForbiddenHostName(string host) =>
        MetadataHostNames.Contains(host.TrimEnd('.'), StringComparer.OrdinalIgnoreCase);

    public static bool IsForbidden(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return (b[0] == 169 && b[1] == 254) // link-local, incl. 169.254.169.254 metadata
                || b[0] >= 224 // multicast and reserved
                || (b[0] == 100 && b[1] == 100 && b[2] == 100 && b[3] == 200) // Alibaba Cloud metadata
                || b[0] == 0;
        }

        return address.IsIPv6LinkLocal || address.IsIPv6Multicast || address.IsIPv6SiteLocal
            || address.Equals(IPAddress.Parse("fd00:ec2::254")); // AWS IMDS over IPv6
    }
}
