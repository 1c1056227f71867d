using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;

namespace Twist.Samples.Tests.Infrastructure;

/// <summary>
/// One of the repository's programs (the coordinator host, the sample, BANK1, GAME1) run as a real child process with
/// <c>dotnet &lt;dll&gt;</c>, so a test can kill -9 it and start it again on the same port and files.
/// </summary>
internal sealed class ProgramProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ProgramProcess(Process process, string name)
    {
        this.process = process;
        Name = name;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Gets what the process wrote to stdout and stderr so far.</summary>
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

    /// <summary>Finds the entry assembly of a program the test project built (see the csproj's EmbedProgramPaths).</summary>
    public static string PathOf(string projectName) =>
        typeof(ProgramProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == "ProgramPath:" + projectName)?.Value
            ?? throw new InvalidOperationException($"The test project does not know where {projectName} was built; add it to _ProgramUnderTest in the csproj.");

    /// <summary>Starts a program; the secrets go through the environment, not the command line.</summary>
    public static ProgramProcess Start(string projectName, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet", [PathOf(projectName), .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new ProgramProcess(Process.Start(info)!, projectName);
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort() => Twist.Testing.LoopbackPorts.Free();

    /// <summary>Polls <paramref name="probe"/> until it answers 2xx; fails with the process's output when it exits or times out.</summary>
    public async Task WaitUntilReadyAsync(Uri probe, TimeSpan within, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            try
            {
                using var ready = await http.GetAsync(probe, cancellationToken);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{Name} did not become ready at {probe} (exited: {process.HasExited}). Its output:\n{Output}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Waits for the process to exit by itself; kills it and fails when it does not within <paramref name="within"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(within);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await KillAsync();
            throw new TimeoutException($"{Name} did not finish within {within}. Its output:\n{Output}");
        }

        process.WaitForExit(); // flushes the redirected output
        return process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown hooks run, nothing is flushed; only what was made durable survives.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process.Dispose();
    }

    public override string ToString() => $"{Name} (pid {process.Id.ToString(CultureInfo.InvariantCulture)})";

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
