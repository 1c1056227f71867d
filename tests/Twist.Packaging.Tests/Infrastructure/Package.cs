using System.IO.Compression;
using System.Xml.Linq;

namespace Twist.Packaging.Tests.Infrastructure;

/// <summary>A .nupkg or .snupkg opened for reading: its nuspec and its files.</summary>
internal sealed class Package : IDisposable
{
    private readonly ZipArchive archive;

    public Package(string path)
    {
        Path = path;
        archive = ZipFile.OpenRead(path);
        var nuspec = archive.Entries.Single(e => !e.FullName.Contains('/', StringComparison.Ordinal) && e.Name.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase));
        using var stream = nuspec.Open();
        Nuspec = XDocument.Load(stream);
    }

    public string Path { get; }

    public XDocument Nuspec { get; }

    public IReadOnlyList<string> Files => [.. archive.Entries.Select(e => e.FullName)];

    /// <summary>Gets a metadata element's value (e.g. <c>description</c>), or null.</summary>
    public string? Metadata(string name) => MetadataElement(name)?.Value;

    public XElement? MetadataElement(string name) =>
        Nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata").Elements().SingleOrDefault(e => e.Name.LocalName == name);

    /// <summary>Gets every declared dependency (id, version range, exclude), across all target framework groups.</summary>
    public IReadOnlyList<Dependency> Dependencies =>
        [.. Nuspec.Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .Select(e => new Dependency(
                (string)e.Attribute("id")!,
                (string?)e.Attribute("version") ?? string.Empty,
                (string?)e.Attribute("exclude") ?? string.Empty))];

    public byte[] Read(string entry)
    {
        using var stream = archive.GetEntry(entry)?.Open() ?? throw new FileNotFoundException($"{System.IO.Path.GetFileName(Path)} has no {entry}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose() => archive.Dispose();
}

/// <summary>One nuspec dependency.</summary>
internal sealed record Dependency(string Id, string Version, string Exclude);
