using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Gravity.Sync.Messaging.Tests.Infrastructure;

/// <summary>
/// A nats-server with JetStream of the test's own, on a free loopback port with a store in a temporary folder, so a
/// test can stop it (an outage) and start it again on the same port and store without touching the shared server.
/// Output goes to a log file: an unredirected child keeps the test runner's pipes open.
/// </summary>
public sealed class PrivateNatsServer : IAsyncDisposable
{
    private readonly string _directory;
    private readonly int _port;
    private Process? _process;

    private PrivateNatsServer(string directory, int port)
    {
        _directory = directory;
        _port = port;
    }

    public string Url => $"nats://127.0.0.1:{_port}";

    /// <summary>Starts one; skips locally (fails in CI) when the shared test server is not configured, as the other NATS tests do.</summary>
    public static async Task<PrivateNatsServer> StartAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(NatsTestServer.Variable)))
        {
            var message = $"{NatsTestServer.Variable} is not set: the NATS tests need nats-server on the PATH (.ci/run installs it and sets the variable).";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new PrivateNatsServer(Directory.CreateTempSubdirectory("gravity-nats-").FullName, port);
        await server.RestartAsync();
        return server;
    }

    /// <summary>Kills the server (no goodbye to clients, as in a crash or a network cut); its JetStream store stays.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
            _process = null;
        }
    }

    /// <summary>Starts the server (again) on the same port and store, and waits until it accepts connections.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        var log = Path.Combine(_directory, "server.log");
        _process = Process.Start(new ProcessStartInfo("nats-server", ["-js", "-a", "127.0.0.1", "-p", _port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", Path.Combine(_directory, "store"), "-l", log])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("nats-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, _port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
