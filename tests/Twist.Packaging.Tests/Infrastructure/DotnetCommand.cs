using System.Diagnostics;
using System.Text;

namespace Twist.Packaging.Tests.Infrastructure;

/// <summary>Runs the <c>dotnet</c> CLI as a child process with a time limit, capturing everything it prints.</summary>
internal static class DotnetCommand
{
    /// <summary>Runs <c>dotnet</c> and returns its exit code and output; kills the whole process tree at the time limit.</summary>
    public static async Task<CommandResult> RunAsync(
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment,
        TimeSpan timeLimit,
        CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Child builds must not leave MSBuild nodes or servers behind holding our output pipes open.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["DOTNET_GENERATE_ASPNET_CERTIFICATE"] = "false";

        // The test run's own MSBuild and test-platform variables would leak into the child and confuse it.
        string[] inherited = ["MSBuild", "TESTINGPLATFORM_", "VSTEST_"];
        foreach (var key in info.Environment.Keys
                     .Where(k => inherited.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase)) && k != "MSBUILDDISABLENODEREUSE")
                     .ToList())
        {
            info.Environment.Remove(key);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var output = new StringBuilder();
        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        var started = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"'dotnet {string.Join(' ', info.ArgumentList)}' in {workingDirectory} did not finish within {timeLimit}. Its output:\n{Text(output)}");
        }

        return new CommandResult(string.Join(' ', info.ArgumentList), process.ExitCode, Text(output), started.Elapsed);
    }

    /// <summary>Runs <c>dotnet</c> and fails with its whole output unless it exits with 0.</summary>
    public static async Task<CommandResult> RunCheckedAsync(
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment,
        TimeSpan timeLimit,
        CancellationToken cancellationToken)
    {
        var result = await RunAsync(arguments, workingDirectory, environment, timeLimit, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'dotnet {result.Command}' in {workingDirectory} exited with {result.ExitCode}. Its output:\n{result.Output}");
        }

        return result;
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}

/// <summary>The outcome of one <c>dotnet</c> command.</summary>
internal sealed record CommandResult(string Command, int ExitCode, string Output, TimeSpan Elapsed);
