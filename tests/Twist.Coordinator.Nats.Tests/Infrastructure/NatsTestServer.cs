using NATS.Client.Core;

namespace Twist.Coordinator.Nats.Tests.Infrastructure;

/// <summary>
/// The real nats-server (with JetStream) the tests publish to. CI starts one and sets TWIST_TEST_NATS (.ci/run);
/// locally: <c>nats-server -js -a 127.0.0.1 -p 4222 -sd $(mktemp -d) &gt;/dev/null 2&gt;&amp;1 &amp;</c>.
/// </summary>
public static class NatsTestServer
{
    public const string Variable = "TWIST_TEST_NATS";

    /// <summary>Returns the server URL, or skips the test with a message saying how to run it (fails it in CI).</summary>
    public static string UrlOrSkip()
    {
        var url = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(url))
        {
            // A broken CI run (CI set, the variable missing) fails instead of passing with these tests skipped.
            Assert.False(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), $"{Variable} is not set; .ci/run starts nats-server with JetStream and sets it.");
            Assert.Skip($"NATS tests need a nats-server with JetStream and {Variable} set to its URL (e.g. nats://127.0.0.1:4222); CI sets it. Start one with: nats-server -js -a 127.0.0.1 -p 4222 -sd $(mktemp -d)");
        }

        return url;
    }

    public static NatsConnection Connect(string url) => new(NatsOpts.Default with { Url = url, Name = "twist-nats-tests" });

    /// <summary>A port on loopback where nothing listens (bound, then released).</summary>
    public static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
