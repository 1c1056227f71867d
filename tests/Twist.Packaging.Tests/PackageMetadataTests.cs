using System.Reflection.Metadata;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Twist.Packaging.Tests.Infrastructure;

namespace Twist.Packaging.Tests;

/// <summary>What a feed shows and a debugger needs, for every package the libraries in src/ produce.</summary>
public sealed partial class PackageMetadataTests(PackedPackages packed)
{
    private const string RepositoryUrl = "https://github.com/twist-gravity-rosen/twist-dotnet";

    // The CustomDebugInformation kind that holds a portable PDB's SourceLink JSON.
    private static readonly Guid SourceLinkKind = new("CC110556-A091-4D38-9FEC-25AB9A351A6A");

    [Fact]
    public void Every_library_in_src_is_packed_and_nothing_else_is()
    {
        TestContext.Current.TestOutputHelper?.WriteLine($"Packed {packed.PackageIds().Count} packages in {packed.PackDuration.TotalSeconds:0.0} s: {string.Join(", ", packed.PackageIds())}");
        Assert.Equal([.. ShippedPackages.Ids, PackedPackages.TemplatePackageId], packed.PackageIds());
        foreach (var inside in ShippedPackages.ShippedInside.Keys)
        {
            Assert.False(File.Exists(packed.PackagePath(inside)), $"{inside} ships inside {ShippedPackages.ShippedInside[inside]}, not as a package of its own.");
        }
    }

    [Theory]
    [MemberData(nameof(ShippedPackages.All), MemberType = typeof(ShippedPackages))]
    public void The_package_describes_itself_with_readme_licence_tags_and_repository(string id)
    {
        using var package = new Package(packed.PackagePath(id));

        Assert.Equal(id, package.Metadata("id"));
        Assert.Equal(packed.Version, package.Metadata("version"));
        Assert.True(package.Metadata("description") is { Length: >= 40 }, $"{id} needs a <Description> of a sentence or more.");
        Assert.True(package.Metadata("tags")?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 2, $"{id} needs <PackageTags>.");
        Assert.Equal(RepositoryUrl, package.Metadata("projectUrl"));

        // The licence is the repository's: an SPDX expression matching the LICENSE file at the root.
        var license = package.MetadataElement("license");
        Assert.NotNull(license);
        Assert.Equal("expression", (string?)license.Attribute("type"));
        Assert.Equal("Apache-2.0", license.Value);
        Assert.Contains("Apache License", File.ReadAllText(RepoBuild.PathOf("LICENSE")), StringComparison.Ordinal);

        var repository = package.MetadataElement("repository");
        Assert.NotNull(repository);
        Assert.Equal(RepositoryUrl, (string?)repository.Attribute("url"));
        Assert.Matches(CommitPattern(), (string?)repository.Attribute("commit") ?? string.Empty);

        // The package README is the project's own README.md, and it is about this package.
        Assert.True(File.Exists(RepoBuild.PathOf("src", id, "README.md")), $"src/{id}/README.md is missing: every package shows its README on the feed (eng/Library.props packs it).");
        Assert.Equal("README.md", package.Metadata("readme"));
        var readme = Encoding.UTF8.GetString(package.Read("README.md"));
        Assert.Equal(File.ReadAllText(RepoBuild.PathOf("src", id, "README.md")), readme);
        Assert.StartsWith("# " + id, readme, StringComparison.Ordinal);

        Assert.Contains($"lib/net10.0/{id}.dll", package.Files);
        Assert.Contains($"lib/net10.0/{id}.xml", package.Files);
    }

    [Theory]
    [MemberData(nameof(ShippedPackages.All), MemberType = typeof(ShippedPackages))]
    public void The_symbol_package_has_a_pdb_whose_SourceLink_points_at_the_commit_on_GitHub(string id)
    {
        string commit;
        using (var package = new Package(packed.PackagePath(id)))
        {
            commit = (string)package.MetadataElement("repository")!.Attribute("commit")!;
        }

        using var symbols = new Package(packed.PackagePath(id, ".snupkg"));
        using var provider = MetadataReaderProvider.FromPortablePdbImage([.. symbols.Read($"lib/net10.0/{id}.pdb")]);
        var pdb = provider.GetMetadataReader();
        var sourceLink = pdb.CustomDebugInformation
            .Select(pdb.GetCustomDebugInformation)
            .Where(info => pdb.GetGuid(info.Kind) == SourceLinkKind)
            .Select(info => Encoding.UTF8.GetString(pdb.GetBlobBytes(info.Value)))
            .SingleOrDefault();
        Assert.False(sourceLink is null, $"{id}.pdb has no SourceLink.");

        using var json = JsonDocument.Parse(sourceLink);
        var urls = json.RootElement.GetProperty("documents").EnumerateObject().Select(p => p.Value.GetString()).ToList();
        Assert.Contains($"https://raw.githubusercontent.com/twist-gravity-rosen/twist-dotnet/{commit}/*", urls);
    }

    [GeneratedRegex("^[0-9a-f]{40}$")]
    private static partial Regex CommitPattern();
}
