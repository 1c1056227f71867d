using System.Text.RegularExpressions;

namespace Twist.Docs.Tests;

/// <summary>
/// Every C# block in README.md, docs/*.md, the package READMEs (src/*/README.md) and the template READMEs is preceded by
/// <c>&lt;!-- snippet: NAME --&gt;</c> and is exactly the region <c>#region snippet: NAME</c> of a file under
/// docs/snippets, which the solution compiles. Code that is deliberately not C# (a fragment of generated output, a
/// signature in prose) takes another fence language, so no C# block goes unchecked.
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

    [Fact]
    public void Every_csharp_block_is_a_compiled_snippet()
    {
        var unmarked = DocumentFiles().SelectMany(UnmarkedCSharpBlocks).ToArray();
        Assert.True(unmarked.Length == 0,
            "C# blocks that are not '<!-- snippet: NAME -->' + a region under docs/snippets (or, if deliberately not C#, " +
            "need another fence language): " + string.Join(", ", unmarked));
    }

    [Fact]
    public void The_check_reads_the_package_and_template_readmes()
    {
        var files = DocumentFiles().Select(Relative).ToHashSet();
        Assert.Contains("README.md", files);
        Assert.Contains("src/Twist.Client/README.md", files);
        Assert.Contains("src/Rosen.Tracing/README.md", files);
        Assert.Contains("src/Gravity.Sync/README.md", files);
        Assert.Contains("templates/Twist.Templates/README.md", files);
        Assert.Contains("twist-client-readme-caller", ReadDocumentedSnippets().Select(s => s.Name));
    }

    /// <summary>The "file:line" of every C# fenced block not directly preceded by a snippet marker.</summary>
    private static IEnumerable<string> UnmarkedCSharpBlocks(string file)
    {
        var lines = File.ReadAllText(file).ReplaceLineEndings("\n").Split('\n');
        string? fence = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var m = Fence().Match(lines[i]);
            if (!m.Success)
            {
                continue;
            }

            if (fence is null)
            {
                fence = m.Groups["fence"].Value;
                var language = m.Groups["info"].Value.Split(' ', 2)[0];
                if (CSharpFences.Contains(language) && (i == 0 || !SnippetMarker().IsMatch(lines[i - 1])))
                {
                    yield return $"{Relative(file)}:{i + 1}";
                }
            }
            else if (m.Groups["fence"].Value.StartsWith(fence, StringComparison.Ordinal) && m.Groups["info"].Value.Length == 0)
            {
                fence = null;
            }
        }
    }

    private static readonly HashSet<string> CSharpFences = new(StringComparer.OrdinalIgnoreCase) { "csharp", "cs", "c#" };

    /// <summary>README.md, docs/**/*.md, src/*/README.md and templates/**/README.md, in a stable order.</summary>
    private static IEnumerable<string> DocumentFiles()
    {
        var templates = Path.Combine(Root, "templates");
        return Directory.GetFiles(Path.Combine(Root, "docs"), "*.md", SearchOption.AllDirectories)
            .Append(Path.Combine(Root, "README.md"))
            .Concat(Directory.GetDirectories(Path.Combine(Root, "src")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists))
            .Concat(Directory.Exists(templates) ? Directory.GetFiles(templates, "README.md", SearchOption.AllDirectories) : [])
            .Order(StringComparer.Ordinal);
    }

    private static string Relative(string file) => Path.GetRelativePath(Root, file).Replace('\\', '/');

    private static IEnumerable<(string File, string Name, string Code)> ReadDocumentedSnippets()
    {
        foreach (var file in DocumentFiles())
        {
            var text = File.ReadAllText(file).ReplaceLineEndings("\n");
            foreach (Match m in DocumentedSnippet().Matches(text))
            {
                yield return (Relative(file), m.Groups["name"].Value, m.Groups["code"].Value.TrimEnd('\n'));
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

    [GeneratedRegex(@"<!-- snippet: (?<name>[\w-]+) -->\n```(?:csharp|cs)\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex DocumentedSnippet();

    [GeneratedRegex(@"^<!-- snippet: [\w-]+ -->$")]
    private static partial Regex SnippetMarker();

    [GeneratedRegex(@"^\s{0,3}(?<fence>`{3,}|~{3,})\s*(?<info>[^`]*?)\s*$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"#region snippet: (?<name>[\w-]+)\n(?<code>.*?)\n\s*#endregion", RegexOptions.Singleline)]
    private static partial Regex Region();
}
