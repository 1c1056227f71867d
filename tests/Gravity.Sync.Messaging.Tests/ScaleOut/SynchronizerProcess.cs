using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace Gravity.Sync.Messaging.Tests.ScaleOut;

/// <summary>A synchronizer instance (tests/Gravity.Sync.ScaleOutHost) as a real child process that a test can kill -9.</summary>
public sealed class SynchronizerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SynchronizerProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts an instance with <paramref name="settings"/> as environment variables (<c>__</c> for <c>:</c>) and waits until its host started.</summary>
    public static async Task<SynchronizerProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        var hostDll = typeof(SynchronizerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GravityScaleOutHostDll").Value!;
        var info = new ProcessStartInfo("dotnet", [hostDll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["DOTNET_TieredPGO"] = "0"; // steadier start-up on a loaded machine
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }

        var instance = new SynchronizerProcess(name, Process.Start(info)!);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60)); // a loaded 2-core machine starts .NET hosts slowly
        try
        {
            await instance._ready.Task.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            await instance.DisposeAsync();
            throw new InvalidOperationException($"Synchronizer {name} did not start. Its output:\n{instance.Output}", ex);
        }

        return instance;
    }

    /// <summary>SIGKILL: nothing is flushed, no partition is handed over; its transactions in flight roll back.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as an orchestrator stops a replica: the host hands its partitions over before it exits.</summary>
    public async Task StopGracefullyAsync(TimeSpan within)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(within);
        await _process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line == "ready")
        {
            _ready.TrySetResult();
        }
    }
}
