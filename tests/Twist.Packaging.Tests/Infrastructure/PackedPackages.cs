using System.Globalization;
using System.Xml.Linq;

[assembly: AssemblyFixture(typeof(Twist.Packaging.Tests.Infrastructure.PackedPackages))]

namespace Twist.Packaging.Tests.Infrastructure;

/// <summary>
/// Packs every shipped library (and the template package) once per test run into a private folder, with a version no
/// earlier run used, and prepares what a consumer needs to restore them: a NuGet.config that adds that folder beside
/// the normal feed, and a private global packages folder, so a stale cached copy of our packages can never be used.
/// </summary>
public sealed class PackedPackages : IAsyncLifetime
{
    /// <summary>The template package's id.</summary>
    public const string TemplatePackageId = "Twist.Templates";

    private static readonly TimeSpan PackTimeLimit = TimeSpan.FromMinutes(5);

    /// <summary>Gets the folder every test of this run works under (deleted at the end unless TWIST_PACKAGING_KEEP=1).</summary>
    public string WorkRoot { get; } = Path.Combine(Path.GetTempPath(), "twist-packaging-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>Gets the version every package of this run has, e.g. <c>0.1.0-ci.20261123110203</c>.</summary>
    public string Version { get; } = $"{RepoBuild.VersionPrefix}-ci.{DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";

    /// <summary>Gets the local feed: the folder holding the .nupkg and .snupkg files.</summary>
    public string FeedFolder => Path.Combine(WorkRoot, "packages");

    /// <summary>Gets the private global packages folder consumers restore into.</summary>
    public string PackagesCache => Path.Combine(WorkRoot, "nuget-packages");

    /// <summary>Gets the folder apps are created in; its NuGet.config applies to all of them.</summary>
    public string AppsRoot => Path.Combine(WorkRoot, "apps");

    /// <summary>Gets the shipped library projects (every src/*/*.csproj but the .Host apps), by name.</summary>
    public IReadOnlyList<string> LibraryProjects { get; } =
        [.. Directory.GetDirectories(RepoBuild.PathOf("src"))
            .Select(d => Path.Combine(d, Path.GetFileName(d) + ".csproj"))
            .Where(File.Exists)
            .Where(p => !Path.GetFileNameWithoutExtension(p).EndsWith(".Host", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)];

    /// <summary>Gets the template project, which is packed too.</summary>
    public static string TemplateProject => RepoBuild.PathOf("templates", "Twist.Templates", "Twist.Templates.csproj");

    /// <summary>Gets how long packing took.</summary>
    public TimeSpan PackDuration { get; private set; }

    /// <summary>Gets the environment every consumer command runs with (the private packages folder).</summary>
    public IReadOnlyDictionary<string, string?> ConsumerEnvironment => new Dictionary<string, string?>
    {
        ["NUGET_PACKAGES"] = PackagesCache,
    };

    /// <summary>Gets the path of one package of this run.</summary>
    public string PackagePath(string id, string extension = ".nupkg") => Path.Combine(FeedFolder, $"{id}.{Version}{extension}");

    /// <summary>Gets the ids of the packages this run produced.</summary>
    public IReadOnlyList<string> PackageIds() =>
        [.. Directory.GetFiles(FeedFolder, "*.nupkg")
            .Select(p => Path.GetFileName(p)[..^$".{Version}.nupkg".Length])
            .Order(StringComparer.Ordinal)];

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        Directory.CreateDirectory(FeedFolder);
        Directory.CreateDirectory(PackagesCache);
        Directory.CreateDirectory(AppsRoot);

        // One pack command over a throw-away solution of every project: MSBuild packs them in parallel. -no-build packs
        // exactly what this test project's build just built (its ProjectReferences), so nothing is compiled twice.
        var packDirectory = Path.Combine(WorkRoot, "pack");
        Directory.CreateDirectory(packDirectory);
        var solution = Path.Combine(packDirectory, "Shipped.slnx");
        var projects = File.Exists(TemplateProject) ? [.. LibraryProjects, TemplateProject] : LibraryProjects;
        new XDocument(new XElement("Solution", projects.Select(p => new XElement("Project", new XAttribute("Path", Path.GetRelativePath(packDirectory, p))))))
            .Save(solution);

        var result = await DotnetCommand.RunCheckedAsync(
            ["pack", solution, "--no-build", .. RepoBuild.SameBuildArguments, "-o", FeedFolder, $"-p:PackageVersion={Version}", "-nologo"],
            packDirectory,
            environment: null,
            PackTimeLimit,
            TestContext.Current.CancellationToken);
        PackDuration = result.Elapsed;

        WriteConsumerNuGetConfig();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("TWIST_PACKAGING_KEEP") != "1")
        {
            try
            {
                Directory.Delete(WorkRoot, recursive: true);
            }
            catch (IOException)
            {
                // A process we started may still hold a file for a moment; the temp folder is cleaned by the OS anyway.
            }
        }

        return ValueTask.CompletedTask;
    }

    private void WriteConsumerNuGetConfig()
    {
        // Our packages come from the local feed only, everything else from the machine's normal source ("nuget.org",
        // as in the repository's own NuGet.config). The machine's global packages folder is a read-only fallback, so
        // third-party packages the repository already restored are not downloaded again; ours cannot be in it, because
        // this run's version is new.
        var machineCache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var config = new XElement(
            "configuration",
            new XElement("config", Add("globalPackagesFolder", PackagesCache)),
            new XElement("packageSources", Add("twist-local", FeedFolder)),
            Directory.Exists(machineCache) ? new XElement("fallbackPackageFolders", Add("machine-cache", machineCache)) : null,
            new XElement(
                "packageSourceMapping",
                new XElement(
                    "packageSource",
                    new XAttribute("key", "twist-local"),
                    Pattern("Twist.*"),
                    Pattern("Gravity.*"),
                    Pattern("Rosen.*")),
                new XElement("packageSource", new XAttribute("key", "nuget.org"), Pattern("*"))));
        new XDocument(config).Save(Path.Combine(AppsRoot, "NuGet.config"));

        static XElement Add(string key, string value) => new("add", new XAttribute("key", key), new XAttribute("value", value));
        static XElement Pattern(string pattern) => new("package", new XAttribute("pattern", pattern));
    }
}
