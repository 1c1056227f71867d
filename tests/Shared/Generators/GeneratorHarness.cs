using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Twist.Testing.Generators;

/// <summary>
/// Compiles snippets in memory and runs a source generator over them, like the compiler does. Linked into each generator
/// test project, whose own half of this class (GeneratorUnderTest.cs) names the generator, its hint name, the snippets'
/// file paths and their language version.
/// </summary>
internal static partial class GeneratorHarness
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>Creates a compilation of the sources, the i-th at <c>SourcePath(i)</c>, against what the test process loads.</summary>
    public static CSharpCompilation CreateCompilation(params string[] sources)
    {
        var trees = sources.Select((source, i) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: SourcePath(i)));
        return CSharpCompilation.Create(
            "GeneratorTests" + Guid.NewGuid().ToString("N"),
            trees,
            References.Value,
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                reportSuppressedDiagnostics: false));
    }

    public static GeneratorDriver CreateDriver() =>
        CSharpGeneratorDriver.Create(
            [CreateGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    /// <summary>Runs the generator over the sources and returns its result and the compilation with the generated code.</summary>
    public static GeneratorResult Run(params string[] sources)
    {
        CSharpCompilation compilation = CreateCompilation(sources);
        GeneratorDriver driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _, TestContext.Current.CancellationToken);
        return new GeneratorResult(driver.GetRunResult().Results.Single(), output);
    }

    /// <summary>Emits the compilation, loads it into a collectible context and returns the assembly.</summary>
    public static Assembly EmitAndLoad(Compilation compilation)
    {
        using var image = new MemoryStream();
        Microsoft.CodeAnalysis.Emit.EmitResult emitted = compilation.Emit(image, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        image.Position = 0;

        // Load() returns null for everything else, so our packages, Microsoft.Extensions.* and the framework are the test's own.
        var context = new AssemblyLoadContext("generated-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        return context.LoadFromStream(image);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // Everything the test process can load (framework, ASP.NET Core, our packages, Microsoft.Extensions.*) except
        // this test assembly, whose own generated code would otherwise be visible to the snippets.
        string self = typeof(GeneratorHarness).Assembly.Location;
        string trusted = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        return [.. trusted
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => !string.Equals(path, self, StringComparison.Ordinal))
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}

/// <summary>One generator run: its result for the single generator, and the compilation with the generated code added.</summary>
internal sealed record GeneratorResult(GeneratorRunResult Run, Compilation Output)
{
    public ImmutableArray<Diagnostic> Diagnostics => Run.Diagnostics;

    public string? GeneratedSource =>
        Run.GeneratedSources.SingleOrDefault(s => s.HintName == GeneratorHarness.HintName).SourceText?.ToString();

    /// <summary>Gets the compiler's errors and warnings for the user's code plus the generated code.</summary>
    public ImmutableArray<Diagnostic> CompilationDiagnostics =>
        [.. Output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning)];
}
