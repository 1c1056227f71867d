using System.Net;
using System.Net.Sockets;

namespace Twist.Coordinator.Security;

/// <summary>
/// The connect step of the participant HTTP handler. It resolves the host itself and refuses metadata, link-local and
/// reserved addresses, so a permitted name that resolves (or is re-pointed by DNS) to such an address is still refused.
/// </summary>
internal static class GuardedConnectCallback
{
    public static async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endPoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = addresses.Where(a => !ForbiddenAddresses.IsForbidden(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException($"Refused to connect to '{endPoint.Host}': it resolves only to metadata, link-local or reserved addresses.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
