using System.Text.RegularExpressions;
using Twist.Packaging.Tests.Infrastructure;

namespace Twist.Packaging.Tests;

/// <summary>The packages the repository ships, derived from the folders in src/ so a new library is covered at once.</summary>
internal static partial class ShippedPackages
{
    /// <summary>Projects in src/ that are not packages of their own, and the package that carries them.</summary>
    public static IReadOnlyDictionary<string, string> ShippedInside { get; } = new Dictionary<string, string>
    {
        ["Twist.Client.Generators"] = "Twist.Client",
        ["Gravity.Sync.Generators"] = "Gravity.Sync",
    };

    /// <summary>
    /// Gets the id of every package the projects in src/ must produce: all of them but the .Host apps, the projects
    /// shipped inside another package, and apps whose project file says <c>&lt;IsPackable&gt;false&lt;/IsPackable&gt;</c>.
    /// </summary>
    public static IReadOnlyList<string> Ids { get; } =
        [.. Directory.GetDirectories(RepoBuild.PathOf("src"))
            .Select(Path.GetFileName)
            .OfType<string>()
            .Where(name => File.Exists(RepoBuild.PathOf("src", name, name + ".csproj")))
            .Where(name => !name.EndsWith(".Host", StringComparison.Ordinal) && !ShippedInside.ContainsKey(name))
            .Where(name => !NotPackable().IsMatch(File.ReadAllText(RepoBuild.PathOf("src", name, name + ".csproj"))))
            .Order(StringComparer.Ordinal)];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (var id in Ids)
        {
            data.Add(id);
        }

        return data;
    }

    [GeneratedRegex(@"<IsPackable>\s*false\s*</IsPackable>", RegexOptions.IgnoreCase)]
    private static partial Regex NotPackable();
}
