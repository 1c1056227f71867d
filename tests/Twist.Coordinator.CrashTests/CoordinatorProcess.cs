using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Twist.Coordinator.CrashTests;

/// <summary>The hosted coordinator (src/Twist.Coordinator.Host) as a real child process that the test can kill -9.</summary>
internal sealed class CoordinatorProcess : IAsyncDisposable
{
    public const string ApiKey = "crash-test-api-key-0123456789";

    private readonly Process process;
    private readonly StringBuilder output = new();

    private CoordinatorProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri Address { get; }

    /// <summary>Gets the operating-system process id (part of the coordinator instance id in a cluster).</summary>
    public int ProcessId => process.Id;

    /// <summary>Gets whether the process has ended.</summary>
    public bool HasExited => process.HasExited;

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>Starts the host on a SQLite log at <paramref name="databasePath"/>.</summary>
    public static Task<CoordinatorProcess> StartAsync(string databasePath, CancellationToken cancellationToken) =>
        StartAsync(
            Path.GetDirectoryName(databasePath)!,
            new Dictionary<string, string> { ["Twist__Coordinator__SqlitePath"] = databasePath },
            cancellationToken);

    /// <summary>Starts the host with the test defaults, overridden by <paramref name="settings"/> (environment variables, <c>__</c> for <c>:</c>).</summary>
    /// <param name="workingDirectory">The host's working directory.</param>
    /// <param name="settings">Configuration for this host, e.g. the store; wins over the defaults.</param>
    /// <param name="cancellationToken">Cancels waiting for the host to become ready.</param>
    public static async Task<CoordinatorProcess> StartAsync(
        string workingDirectory, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var hostDll = typeof(CoordinatorProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "TwistCoordinatorHostDll").Value!;
        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [hostDll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        info.Environment["Twist__Coordinator__AllowedParticipantHosts__0"] = "127.0.0.1";
        info.Environment["Twist__Coordinator__TimeoutSweepInterval"] = "00:00:00.100";
        info.Environment["Twist__Coordinator__RecoveryInterval"] = "00:00:00.500";
        info.Environment["Twist__Coordinator__RetryBaseDelay"] = "00:00:00.050";
        info.Environment["Twist__Coordinator__RetryMaxDelay"] = "00:00:00.500";
        info.Environment["Twist__Api__ApiKeys__0__Name"] = "crash-test";
        info.Environment["Twist__Api__ApiKeys__0__Key"] = ApiKey;
        info.Environment["Twist__Api__ApiKeys__0__Roles__0"] = "caller";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var coordinator = new CoordinatorProcess(Process.Start(info)!, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(new Uri(coordinator.Address, "/readyz"), cancellationToken);
                if (ready.IsSuccessStatusCode)
                {
                    return coordinator;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (coordinator.process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("The coordinator host did not become ready. Its output:\n" + coordinator.Output);
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks run, nothing is flushed; only what the log made durable survives.</summary>
    public async Task KillAsync()
    {
        process.Kill();
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a container runtime or systemd stops a service; returns the exit code.</summary>
    public async Task<int> StopGracefullyAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(within);
        await process.WaitForExitAsync(timeout.Token);
        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            await KillAsync();
        }

        process.Dispose();
    }

    private static int FreePort() => Twist.Testing.LoopbackPorts.Free();

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
