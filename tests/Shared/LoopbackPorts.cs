using System.Net;
using System.Net.Sockets;

namespace Twist.Testing;

/// <summary>Loopback ports for servers a test must name before they start (child processes, links given out in advance).</summary>
/// <remarks>
/// Chosen below Linux's ephemeral range (32768-60999). A port the kernel hands out for "any port" is free only until
/// the next "any port" request of any process: under CI's parallel test processes another listener or an outgoing
/// connection took one between the check and the bind ("address already in use"). Ports below the range are never
/// handed out that way, and the random pick keeps test processes apart. Linked into the test projects that need it.
/// </remarks>
public static class LoopbackPorts
{
    public static int Free()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = Random.Shared.Next(20000, 32000);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException) when (attempt < 100)
            {
                // taken: try another
            }
        }
    }
}
