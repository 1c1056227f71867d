namespace Twist.Samples.Tests.Infrastructure;

/// <summary>
/// The hosted coordinator (src/Twist.Coordinator.Host) as a child process on a fixed loopback port, with an API key
/// for callers and the bearer token it sends to participants; <see cref="RestartAsync"/> kills it and starts it again on
/// the same port and database, as a crashed container would be restarted.
/// </summary>
internal sealed class HostedCoordinator : IAsyncDisposable
{
    public const string ApiKey = "sample-test-api-key-0123456789abcdef";

    private readonly string databasePath;
    private readonly IReadOnlyDictionary<string, string> settings;

    private HostedCoordinator(string databasePath, int port, IReadOnlyDictionary<string, string> settings)
    {
        this.databasePath = databasePath;
        this.settings = settings;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public ProgramProcess? Process { get; private set; }

    /// <summary>Starts the host; <paramref name="extraSettings"/> are more <c>Twist__Coordinator__*</c> variables (timings for fault tests).</summary>
    public static async Task<HostedCoordinator> StartAsync(
        string databasePath, string participantToken, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["Twist__Coordinator__SqlitePath"] = databasePath,
            ["Twist__Coordinator__AllowedParticipantHosts__0"] = "127.0.0.1",
            ["Twist__Coordinator__ParticipantCredential__BearerToken"] = participantToken,
            ["Twist__Api__ApiKeys__0__Name"] = "sample-test",
            ["Twist__Api__ApiKeys__0__Key"] = ApiKey,
            ["Twist__Api__ApiKeys__0__Roles__0"] = "caller",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in extraSettings ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        var coordinator = new HostedCoordinator(databasePath, ProgramProcess.FreePort(), environment);
        await coordinator.LaunchAsync(cancellationToken);
        return coordinator;
    }

    /// <summary>Kills the host (SIGKILL) and starts it again on the same port and database.</summary>
    public async Task RestartAsync(TimeSpan down, CancellationToken cancellationToken)
    {
        await Process!.KillAsync();
        await Task.Delay(down, cancellationToken);
        await Process.DisposeAsync();
        await LaunchAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Process is not null)
        {
            await Process.DisposeAsync();
        }
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        // The port was just released by a killed process: Kestrel may need a moment to bind it again.
        for (var attempt = 1; ; attempt++)
        {
            Process = ProgramProcess.Start("Twist.Coordinator.Host", ["--urls", Address.ToString()], settings, Path.GetDirectoryName(databasePath)!);
            try
            {
                await Process.WaitUntilReadyAsync(new Uri(Address, "/readyz"), TimeSpan.FromSeconds(60), cancellationToken);
                return;
            }
            catch (InvalidOperationException) when (attempt < 5 && Process.HasExited && Process.Output.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await Process.DisposeAsync();
                await Task.Delay(500, cancellationToken);
            }
        }
    }
}
