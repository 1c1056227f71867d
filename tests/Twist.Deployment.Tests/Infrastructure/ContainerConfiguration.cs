using System.Text.Json;

namespace Twist.Deployment.Tests.Infrastructure;

/// <summary>
/// The image configuration the .NET SDK computes for a host: its <c>ComputeContainerConfig</c> target, the part of
/// <c>PublishContainer</c> that runs before any base image is pulled or layer is built, so it works offline.
/// </summary>
internal sealed record ContainerConfiguration(
    IReadOnlyDictionary<string, string> Properties, IReadOnlyDictionary<string, IReadOnlyList<(string Identity, string? Value)>> Items)
{
    private static readonly string[] PropertyNames =
        ["ContainerRepository", "ContainerBaseImage", "ContainerUser", "ContainerWorkingDirectory", "EnableSdkContainerSupport"];

    private static readonly string[] ItemNames =
        ["ContainerPort", "ContainerEnvironmentVariables", "ContainerLabel", "ContainerImageTags", "ContainerAppCommand"];

    public static async Task<ContainerConfiguration> ComputeAsync(string project, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "msbuild", Repository.ProjectFile(project), "-nologo", "-t:ComputeContainerConfig", $"-p:Configuration={Repository.Configuration}",
            .. PropertyNames.Select(p => "-getProperty:" + p), .. ItemNames.Select(i => "-getItem:" + i),
        ];
        var (exitCode, output, standardOutput) = await ChildProcess.RunAsync(
            arguments, Repository.Root, new Dictionary<string, string>(), TimeSpan.FromSeconds(60), cancellationToken);
        Assert.True(exitCode == 0, $"dotnet msbuild -t:ComputeContainerConfig failed ({exitCode}):\n{output}");

        using var json = JsonDocument.Parse(standardOutput);
        var properties = json.RootElement.GetProperty(nameof(Properties)).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty);
        var items = json.RootElement.GetProperty(nameof(Items)).EnumerateObject().ToDictionary(
            i => i.Name,
            i => (IReadOnlyList<(string, string?)>)i.Value.EnumerateArray()
                .Select(e => (e.GetProperty("Identity").GetString()!, e.TryGetProperty("Value", out var v) ? v.GetString() : null))
                .ToList());
        return new ContainerConfiguration(properties, items);
    }

    public IReadOnlyList<(string Identity, string? Value)> Item(string name) => Items.TryGetValue(name, out var values) ? values : [];
}
