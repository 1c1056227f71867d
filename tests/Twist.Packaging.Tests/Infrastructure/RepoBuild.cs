using System.Reflection;

namespace Twist.Packaging.Tests.Infrastructure;

/// <summary>What MSBuild baked into this test assembly about the build that produced it.</summary>
internal static class RepoBuild
{
    /// <summary>Gets the repository root, ending with a directory separator.</summary>
    public static string Root { get; } = Metadata("RepoRoot");

    /// <summary>Gets the configuration this assembly (and so the libraries it references) was built in.</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>Gets the artifacts folder of the build (<c>--artifacts-path</c>), or empty for the default layout.</summary>
    public static string ArtifactsPath { get; } = Metadata("ArtifactsPath");

    /// <summary>Gets the repository's version prefix (e.g. <c>0.1.0</c>).</summary>
    public static string VersionPrefix { get; } = Metadata("VersionPrefix");

    /// <summary>Gets the arguments that make a <c>dotnet</c> command see the same build outputs as this build.</summary>
    public static IReadOnlyList<string> SameBuildArguments =>
        ArtifactsPath.Length == 0 ? ["-c", Configuration] : ["-c", Configuration, "--artifacts-path", ArtifactsPath];

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string Metadata(string key) =>
        typeof(RepoBuild).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value ?? string.Empty;
}
