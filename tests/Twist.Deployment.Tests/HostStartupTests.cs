using Twist.Deployment.Tests.Infrastructure;

namespace Twist.Deployment.Tests;

/// <summary>
/// Both hosts, as separate processes from their build output, started with the environment their Deployment gives the
/// container (secrets replaced by made-up values). The only changes are what this machine cannot provide: the port
/// (ASPNETCORE_HTTP_PORTS, 8080 in the image) and, without TWIST_TEST_POSTGRES, a SQLite log in a temporary folder
/// instead of PostgreSQL. Because the hosts bind Twist:Coordinator, Twist:Api and Rosen:Manager strictly, a
/// misspelled or unknown variable in a manifest stops the host here.
/// </summary>
public sealed class HostStartupTests : IDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);
    private readonly string temporary = Directory.CreateTempSubdirectory("twist-deployment-").FullName;

    [Fact]
    public async Task The_coordinator_starts_with_its_deployments_settings_answers_its_probes_and_drains_on_SIGTERM()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var environment = CoordinatorEnvironment();
        var port = ChildProcess.FreePort();
        environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var host = StartHost(Repository.CoordinatorHost, environment);
        var address = new Uri($"http://127.0.0.1:{port}");
        await host.WaitUntilHealthyAsync(address, "/healthz", StartLimit, cancellationToken);
        await host.WaitUntilHealthyAsync(address, "/readyz", StartLimit, cancellationToken);

        // What the kubelet does at the end of a pod's life: SIGTERM, then SIGKILL after the grace period.
        await host.SendSigtermAsync(cancellationToken);
        await host.WaitForExitAsync(TimeSpan.FromSeconds(35), cancellationToken);
        Assert.True(host.ExitCode == 0, $"exit code {host.ExitCode}; output:\n{host.Output}");
    }

    [Fact]
    public async Task The_coordinator_refuses_a_setting_it_does_not_know_so_a_manifest_typo_cannot_pass()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var environment = CoordinatorEnvironment();
        environment["ASPNETCORE_HTTP_PORTS"] = ChildProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["Twist__Coordinator__LeaseDurration"] = "00:00:10";

        await using var host = StartHost(Repository.CoordinatorHost, environment);
        await host.WaitForExitAsync(StartLimit, cancellationToken);

        Assert.Equal(2, host.ExitCode);
        Assert.Contains("LeaseDurration", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_manager_starts_with_its_deployments_settings_and_answers_its_probes()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var managerDll = Repository.ProgramDll(Repository.Manager);
        var (hashExit, hashOutput, passwordHash) = await ChildProcess.RunAsync(
            [managerDll, "hash-password"], Path.GetDirectoryName(managerDll)!, new Dictionary<string, string>(),
            StartLimit, cancellationToken, standardInput: ManifestEnvironment.RandomKey());
        Assert.True(hashExit == 0, hashOutput);

        var deployment = KubernetesManifests.Single("Deployment", "rosen-manager");
        var environment = ManifestEnvironment.Resolve(deployment, new Dictionary<(string, string), string>
        {
            [("rosen-manager", "postgresql-connection-string")] = "Host=127.0.0.1;Port=1;Database=rosen;Username=rosen;Password=unused",
            [("rosen-manager", "admin-password-hash")] = passwordHash.Trim(),
            [("rosen-manager", "agent-key")] = ManifestEnvironment.RandomKey(),
            [("twist-coordinator", "operator-api-key")] = ManifestEnvironment.RandomKey(),
        });

        // The volume's path does not exist here, and spans go to SQLite on the same "volume" (this test does not start
        // the manager on PostgreSQL; an empty connection string is how the manager is told to use SQLite).
        environment["HOME"] = temporary;
        environment["Rosen__Manager__DataDirectory"] = Path.Combine(temporary, "rosen");
        environment["Rosen__Manager__PostgreSqlConnectionString"] = string.Empty;
        var port = ChildProcess.FreePort();
        environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        await using var host = StartHost(Repository.Manager, environment);
        var address = new Uri($"http://127.0.0.1:{port}");
        await host.WaitUntilHealthyAsync(address, "/healthz", StartLimit, cancellationToken);
        await host.WaitUntilHealthyAsync(address, "/readyz", StartLimit, cancellationToken);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(temporary, recursive: true);
        }
        catch (IOException)
        {
            // A host killed a moment ago may still hold a file; the folder is in the temp directory anyway.
        }
    }

    private Dictionary<string, string> CoordinatorEnvironment()
    {
        var deployment = KubernetesManifests.Single("Deployment", "twist-coordinator");
        var postgres = Environment.GetEnvironmentVariable("TWIST_TEST_POSTGRES");
        var environment = ManifestEnvironment.Resolve(deployment, new Dictionary<(string, string), string>
        {
            [("twist-coordinator", "postgresql-connection-string")] = postgres ?? "Host=127.0.0.1;Port=1;Database=twist;Username=twist;Password=unused",
            [("twist-coordinator", "participant-hmac-key")] = ManifestEnvironment.RandomKey(),
            [("twist-coordinator", "caller-api-key")] = ManifestEnvironment.RandomKey(),
            [("twist-coordinator", "operator-api-key")] = ManifestEnvironment.RandomKey(),
        });

        if (postgres is null)
        {
            // No PostgreSQL on this machine: the same settings, but the log in SQLite. The PostgreSql keys stay set, so
            // they are still bound (strictly) and validated.
            environment["Twist__Coordinator__Store"] = "Sqlite";
            environment["Twist__Coordinator__SqlitePath"] = Path.Combine(temporary, "coordinator.db");
        }
        else
        {
            // A schema of its own, so this instance never joins another test's cluster.
            environment["Twist__Coordinator__PostgreSql__Schema"] = "twist_deployment_tests";
        }

        return environment;
    }

    private ChildProcess StartHost(string project, IReadOnlyDictionary<string, string> environment)
    {
        var dll = Repository.ProgramDll(project);

        // The image's working directory is the application folder (/app), so the host runs from its own output folder.
        return ChildProcess.Start([dll], Path.GetDirectoryName(dll)!, environment);
    }
}
