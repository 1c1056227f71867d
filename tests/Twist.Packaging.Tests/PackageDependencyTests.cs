using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Twist.Packaging.Tests.Infrastructure;

namespace Twist.Packaging.Tests;

/// <summary>
/// What a consumer's restore will pull in. The repository builds against a stub NATS.NKeys from eng/local-feed
/// (README.md, "NATS.Client.Core"); that stand-in must never reach a package, so consumers restore the real one.
/// </summary>
public sealed class PackageDependencyTests(PackedPackages packed)
{
    [Theory]
    [MemberData(nameof(ShippedPackages.All), MemberType = typeof(ShippedPackages))]
    public void The_package_depends_only_on_our_packages_and_centrally_pinned_upstream_packages(string id)
    {
        using var package = new Package(packed.PackagePath(id));
        foreach (var dependency in package.Dependencies)
        {
            if (ShippedPackages.Ids.Contains(dependency.Id))
            {
                Assert.Equal(packed.Version, dependency.Version);
                continue;
            }

            Assert.True(
                CentralVersions.Pinned.TryGetValue(dependency.Id, out var pinned),
                $"{id} depends on {dependency.Id} {dependency.Version}, which Directory.Packages.props does not pin.");
            Assert.Equal(pinned, dependency.Version);

            // A normal dependency: its compile and runtime assets flow to the consumer (only build/analyzers are held back,
            // the SDK's default for a PackageReference).
            Assert.DoesNotContain("Compile", dependency.Exclude, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Runtime", dependency.Exclude, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [MemberData(nameof(ShippedPackages.All), MemberType = typeof(ShippedPackages))]
    public void No_package_mentions_or_carries_a_stub_from_the_local_feed(string id)
    {
        Assert.NotEmpty(CentralVersions.LocalFeedStubs);
        using var package = new Package(packed.PackagePath(id));
        foreach (var (stubId, stubVersion) in CentralVersions.LocalFeedStubs)
        {
            Assert.DoesNotContain(package.Dependencies, d => string.Equals(d.Id, stubId, StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(package.Files, f => Path.GetFileName(f).StartsWith(stubId + ".", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain($"{stubId} {stubVersion}", package.Nuspec.ToString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void The_NATS_package_depends_on_the_real_NATS_client_packages()
    {
        using var package = new Package(packed.PackagePath("Twist.Coordinator.Nats"));
        foreach (var upstream in new[] { "NATS.Client.Core", "NATS.Client.JetStream" })
        {
            var dependency = Assert.Single(package.Dependencies, d => d.Id == upstream);
            Assert.Equal(CentralVersions.Pinned[upstream], dependency.Version);
            Assert.Equal("Build,Analyzers", dependency.Exclude);
        }

        // NATS.NKeys comes to consumers only through NATS.Client.Core, from their own feed.
        Assert.DoesNotContain(package.Dependencies, d => d.Id.StartsWith("NATS.NKeys", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Twist.Client", "Twist.Client.Generators", "ParticipantGenerator")]
    [InlineData("Gravity.Sync", "Gravity.Sync.Generators", "ProjectionGenerator")]
    public void The_package_carries_its_source_generator_as_a_CSharp_analyzer_and_nothing_of_Roslyn(string id, string generatorAssembly, string generatorType)
    {
        using var package = new Package(packed.PackagePath(id));

        var analyzer = $"analyzers/dotnet/cs/{generatorAssembly}.dll";
        Assert.Contains(analyzer, package.Files);
        Assert.Contains($"buildTransitive/{id}.props", package.Files);
        Assert.Contains($"buildTransitive/{id}.targets", package.Files);
        Assert.DoesNotContain(package.Dependencies, d => d.Id.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.DoesNotContain(package.Dependencies, d => d.Id == generatorAssembly);
        Assert.DoesNotContain(package.Files, f => f.StartsWith("lib/", StringComparison.Ordinal) && f.Contains("Generators", StringComparison.Ordinal));

        // The analyzer is the generator itself (an IIncrementalGenerator), built for netstandard2.0 so every compiler loads it.
        using var pe = new PEReader(new MemoryStream(package.Read(analyzer)));
        var metadata = pe.GetMetadataReader();
        Assert.Contains(
            metadata.TypeDefinitions.Select(t => metadata.GetTypeDefinition(t)),
            t => metadata.GetString(t.Name) == generatorType);
        Assert.Contains(
            metadata.AssemblyReferences.Select(r => metadata.GetString(metadata.GetAssemblyReference(r).Name)),
            name => name == "netstandard");
    }
}
