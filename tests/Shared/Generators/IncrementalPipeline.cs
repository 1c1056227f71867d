using System.Collections;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Twist.Testing.Generators;

/// <summary>
/// Runs the generator, edits one source and runs it again, as an IDE does on every keystroke, and checks what the
/// pipeline did with each tracked step. Shared by the generator test projects' IncrementalTests.
/// </summary>
internal static class IncrementalPipeline
{
    /// <summary>A file no generator should care about: editing it must cost no work past the syntax filter.</summary>
    public const string UnrelatedSource = """
        namespace App;

        public static class Unrelated
        {
            public static int Value => 1;
        }
        """;

    /// <summary>The same file with an edit.</summary>
    public static string EditedUnrelatedSource => UnrelatedSource.Replace("=> 1", "=> 2", StringComparison.Ordinal);

    /// <summary>Runs the generator once over the sources, keeping the driver (and so its cache) for the next run.</summary>
    public static (GeneratorDriver Driver, CSharpCompilation Compilation) RunOnce(params string[] sources)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        return (driver, compilation);
    }

    /// <summary>Replaces the <paramref name="index"/>-th source with <paramref name="source"/> and runs the cached driver again.</summary>
    public static GeneratorRunResult RunAfterEdit(GeneratorDriver driver, CSharpCompilation compilation, int index, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => t.FilePath == GeneratorHarness.SourcePath(index));
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: old.FilePath));
        return driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();
    }

    /// <summary>Gets why the single output of a tracked step was (re)computed in this run.</summary>
    public static IncrementalStepRunReason ReasonOf(GeneratorRunResult run, string step) =>
        run.TrackedSteps[step].Single().Outputs.Single().Reason;

    /// <summary>Asserts every output of the tracked steps came from the cache, and so did every source output.</summary>
    public static void AssertEveryStepReused(GeneratorRunResult run, IEnumerable<string> trackedSteps)
    {
        foreach (string step in trackedSteps)
        {
            Assert.All(
                run.TrackedSteps[step].SelectMany(s => s.Outputs),
                output => Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step {step} was {output.Reason}."));
        }

        Assert.All(
            run.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    /// <summary>
    /// Asserts the tracked steps' outputs hold no symbols, syntax, semantic models or compilations: anything
    /// Roslyn-owned in a model would keep old compilations alive and defeat caching.
    /// </summary>
    public static void AssertModelsHoldNoRoslynObjects(GeneratorRunResult run, IEnumerable<string> trackedSteps)
    {
        foreach (string step in trackedSteps)
        {
            foreach ((object value, _) in run.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertNoRoslynObjects(value, step, []);
            }
        }
    }

    private static void AssertNoRoslynObjects(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(
            value is Compilation or ISymbol or SyntaxNode or SemanticModel or SyntaxTree or Location,
            $"{path} holds a {type.FullName}.");

        // Roslyn value types that carry no tree (TextSpan, LinePositionSpan) and DiagnosticDescriptor are fine.
        if (type.Namespace?.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) == true)
        {
            return;
        }

        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (object? item in items)
            {
                AssertNoRoslynObjects(item, $"{path}[{i++}]", seen);
            }

            return;
        }

        foreach (FieldInfo field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoRoslynObjects(field.GetValue(value), $"{path}.{field.Name}", seen);
        }
    }
}
