using System.IO.Compression;
using System.Xml.Linq;

namespace Twist.Packaging.Tests.Infrastructure;

/// <summary>What the repository pins: the central package versions and the packages of the stub feed.</summary>
internal static class CentralVersions
{
    /// <summary>Gets the package versions of Directory.Packages.props, by id (case-insensitive).</summary>
    public static IReadOnlyDictionary<string, string> Pinned { get; } =
        XDocument.Load(RepoBuild.PathOf("Directory.Packages.props"))
            .Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Gets the (id, version) of every package in eng/local-feed: stand-ins for packages the build machine's source does
    /// not serve (README.md, "NATS.Client.Core"). None of them may leak into a shipped package.
    /// </summary>
    public static IReadOnlyList<(string Id, string Version)> LocalFeedStubs { get; } =
        [.. Directory.GetFiles(RepoBuild.PathOf("eng", "local-feed"), "*.nupkg").Select(path =>
        {
            using var archive = ZipFile.OpenRead(path);
            using var stream = archive.Entries.Single(e => e.Name.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase)).Open();
            var metadata = XDocument.Load(stream).Descendants().First(e => e.Name.LocalName == "metadata");
            string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;
            return (Value("id"), Value("version"));
        })];
}
