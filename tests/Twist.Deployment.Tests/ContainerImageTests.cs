using System.Collections.Concurrent;
using System.Globalization;
using Twist.Deployment.Tests.Infrastructure;

namespace Twist.Deployment.Tests;

/// <summary>
/// The image configuration the SDK would publish (its ComputeContainerConfig target, evaluated offline), and that the
/// manifests run each image as it is built: same repository, user and port. No image is built or pulled here.
/// </summary>
public sealed class ContainerImageTests
{
    private static readonly ConcurrentDictionary<string, Task<ContainerConfiguration>> Computed = new();

    [Theory]
    [InlineData(Repository.CoordinatorHost, "twist/coordinator")]
    [InlineData(Repository.Manager, "rosen/manager")]
    public async Task The_sdk_computes_a_non_root_aspnet_image_listening_on_8080(string project, string repository)
    {
        var image = await ConfigurationOf(project);

        Assert.Equal("true", image.Properties["EnableSdkContainerSupport"]);
        Assert.Equal(repository, image.Properties["ContainerRepository"]);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:10.0", image.Properties["ContainerBaseImage"], StringComparison.Ordinal);
        Assert.True(
            int.TryParse(image.Properties["ContainerUser"], NumberStyles.None, CultureInfo.InvariantCulture, out var user) && user > 0,
            $"ContainerUser '{image.Properties["ContainerUser"]}' must be a numeric non-root user, so Kubernetes can verify runAsNonRoot.");
        Assert.Contains(image.Item("ContainerPort"), p => p.Identity == "8080");
        Assert.Contains(image.Item("ContainerEnvironmentVariables"), e => e == ("ASPNETCORE_HTTP_PORTS", "8080"));
        Assert.Contains(image.Item("ContainerImageTags"), t => t.Identity == "latest");

        // The entry point is the host's own assembly inside the working directory.
        var workingDirectory = image.Properties["ContainerWorkingDirectory"];
        Assert.Equal(["dotnet", workingDirectory.TrimEnd('/') + "/" + project + ".dll"], image.Item("ContainerAppCommand").Select(c => c.Identity));

        var labels = image.Item("ContainerLabel").ToDictionary(l => l.Identity, l => l.Value);
        Assert.False(string.IsNullOrEmpty(labels["org.opencontainers.image.description"]));
        Assert.Equal("Apache-2.0", labels["org.opencontainers.image.licenses"]);
        Assert.False(string.IsNullOrEmpty(labels["org.opencontainers.image.vendor"]));
        Assert.False(string.IsNullOrEmpty(labels["org.opencontainers.image.version"]));
    }

    [Theory]
    [InlineData(Repository.CoordinatorHost, "twist-coordinator")]
    [InlineData(Repository.Manager, "rosen-manager")]
    public async Task The_deployment_runs_the_image_as_its_user_on_its_port(string project, string deploymentName)
    {
        var image = await ConfigurationOf(project);
        var deployment = KubernetesManifests.Single("Deployment", deploymentName);

        Assert.Equal(image.Properties["ContainerRepository"], Yaml.Text(deployment.Container, "image"));
        Assert.Equal(image.Properties["ContainerUser"], Yaml.Text(deployment.PodSpec, "securityContext", "runAsUser"));
        var port = Assert.Single(Yaml.Sequence(deployment.Container, "ports").Children);
        Assert.Equal(Assert.Single(image.Item("ContainerPort")).Identity, Yaml.Text(port, "containerPort"));

        // The kustomization retags exactly this repository.
        var kustomization = KubernetesManifests.LoadAll().Single(o => o.Kind == "Kustomization");
        Assert.Contains(Yaml.Sequence(kustomization.Root, "images").Children, i => Yaml.Text(i, "name") == image.Properties["ContainerRepository"]);
    }

    private static Task<ContainerConfiguration> ConfigurationOf(string project) =>
        Computed.GetOrAdd(project, p => ContainerConfiguration.ComputeAsync(p, CancellationToken.None));
}
