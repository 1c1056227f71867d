using Gravity.Sync.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Twist.Testing.Generators;

/// <summary>This project's half of the shared harness: <see cref="ProjectionGenerator"/> over /src/app/Events0.cs, Events1.cs, ...</summary>
internal static partial class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public const string HintName = ProjectionGenerator.HintName;

    /// <summary>Full paths, so tests can prove that generated rule origins name the file alone.</summary>
    public static string SourcePath(int index) => Path.Combine("/src/app", $"Events{index}.cs");

    private static ProjectionGenerator CreateGenerator() => new();
}
