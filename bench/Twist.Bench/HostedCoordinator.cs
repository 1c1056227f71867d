using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Twist.Bench;

/// <summary>Runs src/Twist.Coordinator.Host as a separate process, configured through environment variables as in production.</summary>
internal sealed class HostedCoordinator : IAsyncDisposable
{
    public const string ApiKey = "bench-api-key-0123456789abcdef";

    private readonly Process process;

    private HostedCoordinator(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<HostedCoordinator> StartAsync(string hostDll, string databasePath)
    {
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [hostDll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(hostDll)!,
        };
        info.Environment["Twist__Coordinator__SqlitePath"] = databasePath;
        info.Environment["Twist__Coordinator__AllowedParticipantHosts__0"] = "127.0.0.1";
        info.Environment["Twist__Api__ApiKeys__0__Name"] = "bench";
        info.Environment["Twist__Api__ApiKeys__0__Key"] = ApiKey;
        info.Environment["Twist__Api__ApiKeys__0__Roles__0"] = "caller";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["DOTNET_gcServer"] = "1";
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the coordinator host");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine("  [host] " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var address = new Uri($"http://127.0.0.1:{port}");
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(address, "/readyz"));
                if (ready.IsSuccessStatusCode)
                {
                    break;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"the coordinator host did not become ready (exit code {(process.HasExited ? process.ExitCode : "none")})");
            }

            await Task.Delay(100);
        }

        return new HostedCoordinator(process, address);
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
