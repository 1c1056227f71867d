using System.Reflection;

namespace Twist.Deployment.Tests.Infrastructure;

/// <summary>Where the repository, its manifests and the hosts' build outputs are, as the build recorded them.</summary>
internal static class Repository
{
    public const string CoordinatorHost = "Twist.Coordinator.Host";
    public const string Manager = "Rosen.Manager";

    public static string Root => Metadata("RepoRoot");

    public static string Configuration => Metadata("Configuration");

    public static string KubernetesDirectory => Path.Combine(Root, "deploy", "kubernetes");

    public static string ProjectFile(string project) => Path.Combine(Root, "src", project, project + ".csproj");

    public static string ProgramDll(string project) => Metadata("ProgramPath:" + project);

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The build did not record {key}.");
}
