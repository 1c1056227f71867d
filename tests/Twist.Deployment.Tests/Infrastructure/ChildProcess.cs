using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Twist.Deployment.Tests.Infrastructure;

/// <summary>A <c>dotnet</c> child process with a clean environment, its output captured, killed when disposed.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();
    private readonly StringBuilder standardOutput = new();

    private ChildProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data, fromStandardOutput: true);
        process.ErrorDataReceived += (_, e) => Append(e.Data, fromStandardOutput: false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

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

    /// <summary>Starts <c>dotnet</c> with <paramref name="arguments"/> and exactly the given settings on top of a scrubbed environment.</summary>
    public static ChildProcess Start(
        IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, string? standardInput = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = standardInput is not null,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Nothing of the test run's own configuration may reach the host: it must start from the manifest's settings
        // alone, as it would in the container.
        string[] scrubbed = ["Twist__", "Rosen__", "ConnectionStrings__", "ASPNETCORE_", "DOTNET_ENVIRONMENT", "MSBuild", "TESTINGPLATFORM_", "VSTEST_"];
        foreach (var key in info.Environment.Keys.Where(k => scrubbed.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var child = new ChildProcess(Process.Start(info)!);
        if (standardInput is not null)
        {
            child.process.StandardInput.WriteLine(standardInput);
            child.process.StandardInput.Close();
        }

        return child;
    }

    /// <summary>Runs to the end within <paramref name="timeLimit"/>; returns the exit code and the output.</summary>
    public static async Task<(int ExitCode, string Output, string StandardOutput)> RunAsync(
        IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeLimit, CancellationToken cancellationToken, string? standardInput = null)
    {
        await using var child = Start(arguments, workingDirectory, environment, standardInput);
        await child.WaitForExitAsync(timeLimit, cancellationToken);
        return (child.ExitCode, child.Output, child.StandardOutput);
    }

    /// <summary>Waits until <paramref name="path"/> answers 200 on the host's address, or fails with the host's output.</summary>
    public async Task WaitUntilHealthyAsync(Uri address, string path, TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeLimit;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(address, path), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The host did not answer 200 on {path} (exited: {process.HasExited}). Its output:\n{Output}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>SIGTERM, as the kubelet stops a container.</summary>
    public async Task SendSigtermAsync(CancellationToken cancellationToken)
    {
        using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(cancellationToken);
    }

    public async Task WaitForExitAsync(TimeSpan timeLimit, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(timeLimit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"dotnet did not finish within {timeLimit}. Its output:\n{Output}");
        }

        // The asynchronous readers may still hold the last lines.
        process.WaitForExit();
    }

    /// <summary>Gets what the process wrote to standard output only (standard error excluded).</summary>
    public string StandardOutput
    {
        get
        {
            lock (output)
            {
                return standardOutput.ToString();
            }
        }
    }

    public static int FreePort() => Twist.Testing.LoopbackPorts.Free();

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private void Append(string? line, bool fromStandardOutput)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
            if (fromStandardOutput)
            {
                standardOutput.AppendLine(line);
            }
        }
    }
}
