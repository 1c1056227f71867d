using System.Globalization;
using System.Text.RegularExpressions;
using Twist.Deployment.Tests.Infrastructure;

namespace Twist.Deployment.Tests;

/// <summary>The structure of deploy/kubernetes: what a cluster would be told to run. Never applied to a cluster here.</summary>
public sealed partial class ManifestTests
{
    private static readonly string[] DeploymentNames = ["twist-coordinator", "rosen-manager"];

    [Fact]
    public void The_kustomization_lists_every_manifest_in_the_folder()
    {
        var kustomization = KubernetesManifests.LoadAll().Single(o => o.Kind == "Kustomization");
        var listed = Yaml.Sequence(kustomization.Root, "resources").Children.Select(r => Yaml.Text(r)).Order(StringComparer.Ordinal);
        var files = Directory.GetFiles(Repository.KubernetesDirectory, "*.yaml").Select(Path.GetFileName)
            .Where(f => f != "kustomization.yaml").Order(StringComparer.Ordinal);

        Assert.Equal(files, listed);
    }

    [Fact]
    public void The_coordinator_runs_three_instances_on_PostgreSQL_probed_on_the_hosts_health_paths()
    {
        var coordinator = KubernetesManifests.Single("Deployment", "twist-coordinator");
        var environment = coordinator.Environment.ToDictionary(e => e.Name);

        Assert.Equal("3", Yaml.Text(coordinator.Root, "spec", "replicas"));
        Assert.Equal("PostgreSql", environment["Twist__Coordinator__Store"].Value);
        Assert.Equal("twist-coordinator", environment["Twist__Coordinator__PostgreSql__ConnectionString"].SecretName);
        AssertProbes(coordinator);
    }

    [Fact]
    public void The_manager_is_probed_on_its_health_paths()
    {
        AssertProbes(KubernetesManifests.Single("Deployment", "rosen-manager"));
    }

    [Fact]
    public void The_grace_period_outlasts_the_coordinators_shutdown_timeout()
    {
        var coordinator = KubernetesManifests.Single("Deployment", "twist-coordinator");
        var shutdownTimeout = TimeSpan.Parse(
            coordinator.Environment.Single(e => e.Name == "Twist__Host__ShutdownTimeout").Value!, CultureInfo.InvariantCulture);
        var gracePeriod = TimeSpan.FromSeconds(int.Parse(Yaml.Text(coordinator.PodSpec, "terminationGracePeriodSeconds"), CultureInfo.InvariantCulture));

        // Longer, so draining is never cut off by SIGKILL; not much longer, so a stuck process is not waited on for long.
        Assert.InRange(gracePeriod, shutdownTimeout + TimeSpan.FromSeconds(5), shutdownTimeout + TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Every_credential_comes_from_a_secret_and_no_manifest_holds_one()
    {
        var objects = KubernetesManifests.LoadAll();
        Assert.DoesNotContain(objects, o => o.Kind == "Secret");

        foreach (var name in DeploymentNames)
        {
            foreach (var variable in KubernetesManifests.Single("Deployment", name).Environment)
            {
                if (CredentialName().IsMatch(variable.Name))
                {
                    Assert.True(variable.SecretName is not null, $"{name}: {variable.Name} is a credential and must come from a secretKeyRef.");
                }
                else
                {
                    Assert.False(
                        variable.Value is not null && LooksLikeASecret().IsMatch(variable.Value),
                        $"{name}: {variable.Name} has a literal value that looks like a credential.");
                }
            }
        }
    }

    [Fact]
    public void Pods_run_as_a_non_root_user_without_privileges_on_a_read_only_root()
    {
        foreach (var name in DeploymentNames)
        {
            var deployment = KubernetesManifests.Single("Deployment", name);
            Assert.Equal("true", Yaml.Text(deployment.PodSpec, "securityContext", "runAsNonRoot"));
            Assert.NotEqual("0", Yaml.Text(deployment.PodSpec, "securityContext", "runAsUser"));
            Assert.Equal("false", Yaml.Text(deployment.PodSpec, "automountServiceAccountToken"));
            Assert.Equal("false", Yaml.Text(deployment.Container, "securityContext", "allowPrivilegeEscalation"));
            Assert.Equal("true", Yaml.Text(deployment.Container, "securityContext", "readOnlyRootFilesystem"));
            Assert.Equal(["ALL"], Yaml.Sequence(deployment.Container, "securityContext", "capabilities", "drop").Children.Select(c => Yaml.Text(c)));
        }
    }

    [Fact]
    public void Every_environment_variable_is_a_configuration_key_of_its_host()
    {
        // Keys under Twist:Coordinator, Twist:Api and Rosen:Manager are bound strictly by the hosts, so a typo there stops
        // the host (HostStartupTests start both with these variables). Twist:Host is read key by key: these are all.
        string[] twistHostKeys = ["Twist__Host__ShutdownTimeout", "Twist__Host__CleartextHttp2"];
        var prefixes = new Dictionary<string, string[]>
        {
            ["twist-coordinator"] = ["Twist__Coordinator__", "Twist__Api__"],
            ["rosen-manager"] = ["Rosen__Manager__"],
        };
        string[] platformVariables = ["HOME"];

        foreach (var (name, allowed) in prefixes)
        {
            foreach (var variable in KubernetesManifests.Single("Deployment", name).Environment)
            {
                Assert.True(
                    allowed.Any(p => variable.Name.StartsWith(p, StringComparison.Ordinal)) || twistHostKeys.Contains(variable.Name) && name == "twist-coordinator"
                        || platformVariables.Contains(variable.Name),
                    $"{name}: {variable.Name} is not a configuration key of that host.");
            }
        }
    }

    [Fact]
    public void The_disruption_budget_keeps_a_majority_of_coordinators_up()
    {
        var coordinator = KubernetesManifests.Single("Deployment", "twist-coordinator");
        var budget = KubernetesManifests.Single("PodDisruptionBudget", "twist-coordinator");

        Assert.Equal(SelectorOf(coordinator, "spec", "selector", "matchLabels"), SelectorOf(budget, "spec", "selector", "matchLabels"));
        var replicas = int.Parse(Yaml.Text(coordinator.Root, "spec", "replicas"), CultureInfo.InvariantCulture);
        var minAvailable = int.Parse(Yaml.Text(budget.Root, "spec", "minAvailable"), CultureInfo.InvariantCulture);
        Assert.InRange(minAvailable, replicas / 2 + 1, replicas - 1);
    }

    [Theory]
    [InlineData("twist-coordinator")]
    [InlineData("rosen-manager")]
    public void The_service_sends_traffic_to_the_deployments_pods_and_port(string name)
    {
        var deployment = KubernetesManifests.Single("Deployment", name);
        var service = KubernetesManifests.Single("Service", name);

        var podLabels = SelectorOf(deployment, "spec", "template", "metadata", "labels");
        Assert.All(SelectorOf(service, "spec", "selector"), label => Assert.Equal(label.Value, podLabels[label.Key]));
        var port = Assert.Single(Yaml.Sequence(service.Root, "spec", "ports").Children);
        var containerPort = Assert.Single(Yaml.Sequence(deployment.Container, "ports").Children);
        Assert.Equal(Yaml.Text(containerPort, "name"), Yaml.Text(port, "targetPort"));
    }

    private static void AssertProbes(KubernetesObject deployment)
    {
        // The hosts map exactly these: /healthz answers while the process runs, /readyz only when it can take work.
        Assert.Equal("/readyz", Yaml.Text(deployment.Container, "readinessProbe", "httpGet", "path"));
        Assert.Equal("/healthz", Yaml.Text(deployment.Container, "livenessProbe", "httpGet", "path"));
        var portName = Yaml.Text(Assert.Single(Yaml.Sequence(deployment.Container, "ports").Children), "name");
        Assert.Equal(portName, Yaml.Text(deployment.Container, "readinessProbe", "httpGet", "port"));
        Assert.Equal(portName, Yaml.Text(deployment.Container, "livenessProbe", "httpGet", "port"));
    }

    private static Dictionary<string, string> SelectorOf(KubernetesObject o, params string[] path) =>
        Yaml.Mapping(o.Root, path).Children.ToDictionary(c => Yaml.Text(c.Key), c => Yaml.Text(c.Value));

    [GeneratedRegex("(Key|Password|PasswordHash|Secret|Token|ConnectionString)$")]
    private static partial Regex CredentialName();

    [GeneratedRegex("(?i)password=|^[0-9a-f]{32,}$|^[A-Za-z0-9+/]{32,}={0,2}$")]
    private static partial Regex LooksLikeASecret();
}
