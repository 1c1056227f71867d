using System.Text.RegularExpressions;

namespace Twist.Docs.Tests;

/// <summary>
/// Every C# block in README.md and docs/*.md that is preceded by <c>&lt;!-- snippet: NAME --&gt;</c> must be exactly the
/// region <c>#region snippet: NAME</c> of a file under docs/snippets, which the solution compiles.
/// </summary>
public sealed partial class DocumentedSnippetsTests
{
    internal static readonly string Root = FindRoot();

    public static TheoryData<string> DocumentedSnippets()
    {
        var data = new TheoryData<string>();
        foreach (var (file, name, _) in ReadDocumentedSnippets())
        {
            data.Add($"{file}#{name}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DocumentedSnippets))]
    public void The_documented_code_is_the_compiled_snippet(string key)
    {
        var (_, name, shown) = ReadDocumentedSnippets().Single(s => $"{s.File}#{s.Name}" == key);
        var regions = ReadRegions();
        Assert.True(regions.TryGetValue(name, out var compiled), $"{key}: no '#region snippet: {name}' under docs/snippets.");
        Assert.Equal(compiled, shown);
    }

    [Fact]
    public void Every_snippet_region_is_shown_somewhere()
    {
        var shown = ReadDocumentedSnippets().Select(s => s.Name).ToHashSet();
        var unshown = ReadRegions().Keys.Where(name => !shown.Contains(name)).ToArray();
        Assert.True(unshown.Length == 0, "Snippet regions no document shows: " + string.Join(", ", unshown));
    }

    [Fact]
    public void The_docs_show_at_least_the_core_snippets()
    {
        var shown = ReadDocumentedSnippets().Select(s => s.Name).ToHashSet();
        Assert.Contains("embedded-coordinator", shown);
        Assert.Contains("hosted-in-your-app", shown);
    }

    private static IEnumerable<(string File, string Name, string Code)> ReadDocumentedSnippets()
    {
        var files = Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(Root, "README.md"));
        foreach (var file in files.Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file).ReplaceLineEndings("\n");
            foreach (Match m in DocumentedSnippet().Matches(text))
            {
                yield return (Path.GetRelativePath(Root, file), m.Groups["name"].Value, m.Groups["code"].Value.TrimEnd('\n'));
            }
        }
    }

    private static Dictionary<string, string> ReadRegions()
    {
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "docs", "snippets"), "*.cs"))
        {
            var text = File.ReadAllText(file).ReplaceLineEndings("\n");
            foreach (Match m in Region().Matches(text))
            {
                regions.Add(m.Groups["name"].Value, Dedent(m.Groups["code"].Value));
            }
        }

        return regions;
    }

    private static string Dedent(string code)
    {
        var lines = code.TrimEnd('\n', ' ').Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    private static string FindRoot()
    {
        var built = typeof(DocumentedSnippetsTests).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        if (built is not null && File.Exists(Path.Combine(built, "Twist.slnx")))
        {
            return built;
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Twist.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Twist.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"<!-- snippet: (?<name>[\w-]+) -->\n```csharp\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex DocumentedSnippet();

    [GeneratedRegex(@"#region snippet: (?<name>[\w-]+)\n(?<code>.*?)\n\s*#endregion", RegexOptions.Singleline)]
    private static partial Regex Region();
}
