using System.Globalization;

namespace Twist.Samples.Tests.Infrastructure;

/// <summary>
/// BANKn or GAME1 of the sample, as its own process behind a <see cref="FaultProxy"/>, with its own SQLite file;
/// <see cref="RestartAsync"/> kills it (SIGKILL) and starts it again on the same file.
/// </summary>
internal sealed class ParticipantProcess : IAsyncDisposable
{
    private readonly string project;
    private readonly string readyPath;
    private readonly Dictionary<string, string> environment;
    private readonly string folder;

    private ParticipantProcess(string name, string project, string readyPath, Dictionary<string, string> environment, string folder, FaultProxy proxy)
    {
        Name = name;
        this.project = project;
        this.readyPath = readyPath;
        this.environment = environment;
        this.folder = folder;
        Proxy = proxy;
    }

    public string Name { get; }

    public FaultProxy Proxy { get; }

    public ProgramProcess? Process { get; private set; }

    public string DatabasePath => environment.First(e => e.Key.EndsWith("__Database", StringComparison.Ordinal)).Value;

    /// <summary>Starts a bank with <paramref name="users"/> accounts of <paramref name="openingBalance"/> dollars.</summary>
    public static Task<ParticipantProcess> StartBankAsync(string name, string folder, int users, long openingBalance, ParticipantTimings timings, int seed, CancellationToken cancellationToken) =>
        StartAsync(name, "Twist.Samples.Transfer.Bank", "/api/bank/accounts/USER1", folder, timings, seed, new Dictionary<string, string>
        {
            ["Bank__Database"] = Path.Combine(folder, name.ToLowerInvariant() + ".db"),
            ["Bank__Users"] = users.ToString(CultureInfo.InvariantCulture),
            ["Bank__OpeningBalance"] = openingBalance.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken);

    public static Task<ParticipantProcess> StartGameAsync(string name, string folder, ParticipantTimings timings, int seed, CancellationToken cancellationToken) =>
        StartAsync(name, "Twist.Samples.Transfer.Game", "/api/game/users/USER1", folder, timings, seed, new Dictionary<string, string>
        {
            ["Game__Database"] = Path.Combine(folder, name.ToLowerInvariant() + ".db"),
        }, cancellationToken);

    /// <summary>Kills the process and starts it again after <paramref name="down"/>, on a new port the proxy then forwards to.</summary>
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

        await Proxy.DisposeAsync();
    }

    private static async Task<ParticipantProcess> StartAsync(
        string name, string project, string readyPath, string folder, ParticipantTimings timings, int seed, Dictionary<string, string> settings, CancellationToken cancellationToken)
    {
        // The proxy starts first: its address is the participant's public base address, so every link goes through it.
        var proxy = await FaultProxy.StartAsync(new Uri("http://127.0.0.1:9"), seed);
        settings["Twist__Participant__CoordinatorCredential__BearerToken"] = timings.CoordinatorToken;
        settings["Twist__Participant__PublicBaseAddress"] = proxy.Address.ToString();
        settings["Twist__Participant__ReservationLifetime"] = timings.ReservationLifetime.ToString("c", CultureInfo.InvariantCulture);
        settings["Twist__Participant__SweepInterval"] = "00:00:00.200";
        settings["Logging__LogLevel__Default"] = "Warning";
        var participant = new ParticipantProcess(name, project, readyPath, settings, folder, proxy);
        await participant.LaunchAsync(cancellationToken);
        return participant;
    }

    private async Task LaunchAsync(CancellationToken cancellationToken)
    {
        var address = new Uri($"http://127.0.0.1:{ProgramProcess.FreePort()}");
        Process = ProgramProcess.Start(project, ["--urls", address.ToString()], environment, folder);
        await Process.WaitUntilReadyAsync(new Uri(address, readyPath), TimeSpan.FromSeconds(60), cancellationToken);
        Proxy.Retarget(address);
    }
}

/// <summary>The participants' settings that the fault test shares.</summary>
internal sealed record ParticipantTimings(string CoordinatorToken, TimeSpan ReservationLifetime);
