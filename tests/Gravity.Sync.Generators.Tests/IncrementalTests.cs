using System.Collections;
using System.Reflection;
using Gravity.Sync.Generators.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Gravity.Sync.Generators.Tests;

/// <summary>The generator caches like a compiler feature should: unrelated edits do no work past the syntax filter.</summary>
public sealed class IncrementalTests
{
    private const string EventType = """
        using Gravity.Sync.Rules;

        namespace App;

        [Projection("userCreated", Table = "users", Databases = ["db1"])]
        public sealed record UserCreated([property: Key] long Id, string Name)
        {
            public string Describe() => "user " + Id;
        }
        """;

    private const string Unrelated = """
        namespace App;

        public static class Unrelated
        {
            public static int Value => 1;
        }
        """;

    private static readonly string[] TrackedSteps =
    [
        ProjectionGenerator.TrackingNames.EventTypes,
        ProjectionGenerator.TrackingNames.GenerationModel,
    ];

    [Fact]
    public void Editing_an_unrelated_file_reuses_every_tracked_step()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(EventType, Unrelated);

        CSharpCompilation edited = ReplaceTree(compilation, 1, Unrelated.Replace("=> 1", "=> 2", StringComparison.Ordinal));
        GeneratorRunResult second = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            Assert.All(
                second.TrackedSteps[step].SelectMany(s => s.Outputs),
                output => Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"Step {step} was {output.Reason}."));
        }

        Assert.All(
            second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs),
            output => Assert.Equal(IncrementalStepRunReason.Cached, output.Reason));
    }

    [Fact]
    public void Editing_a_method_body_of_an_event_type_keeps_the_model_unchanged()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(EventType, Unrelated);

        CSharpCompilation edited = ReplaceTree(compilation, 0, EventType.Replace("\"user \"", "\"User \"", StringComparison.Ordinal));
        GeneratorRunResult second = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        Assert.Equal(
            IncrementalStepRunReason.Unchanged,
            second.TrackedSteps[ProjectionGenerator.TrackingNames.EventTypes].Single().Outputs.Single().Reason);
        Assert.Equal(
            IncrementalStepRunReason.Cached,
            second.TrackedSteps[ProjectionGenerator.TrackingNames.GenerationModel].Single().Outputs.Single().Reason);
    }

    [Fact]
    public void Renaming_a_column_regenerates()
    {
        (GeneratorDriver driver, CSharpCompilation compilation) = RunOnce(EventType, Unrelated);

        CSharpCompilation edited = ReplaceTree(compilation, 0, EventType.Replace("string Name", "[property: Column(\"col_name\")] string Name", StringComparison.Ordinal));
        GeneratorRunResult second = driver.RunGenerators(edited, TestContext.Current.CancellationToken).GetRunResult().Results.Single();

        Assert.Equal(
            IncrementalStepRunReason.Modified,
            second.TrackedSteps[ProjectionGenerator.TrackingNames.GenerationModel].Single().Outputs.Single().Reason);
        Assert.Contains("\"col_name\"", second.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilations()
    {
        // Anything Roslyn-owned in a model would keep old compilations alive and defeat caching.
        (GeneratorDriver driver, _) = RunOnce(EventType, Unrelated, """
            using Gravity.Sync.Rules;

            [Projection("bad", Table = "bad table")]
            public sealed record Bad(long Id);
            """);
        GeneratorRunResult result = driver.GetRunResult().Results.Single();

        foreach (string step in TrackedSteps)
        {
            foreach ((object value, _) in result.TrackedSteps[step].SelectMany(s => s.Outputs))
            {
                AssertNoRoslynObjects(value, step, []);
            }
        }
    }

    private static (GeneratorDriver Driver, CSharpCompilation Compilation) RunOnce(params string[] sources)
    {
        CSharpCompilation compilation = GeneratorHarness.CreateCompilation(sources);
        GeneratorDriver driver = GeneratorHarness.CreateDriver().RunGenerators(compilation, TestContext.Current.CancellationToken);
        return (driver, compilation);
    }

    private static CSharpCompilation ReplaceTree(CSharpCompilation compilation, int index, string source)
    {
        SyntaxTree old = compilation.SyntaxTrees.Single(t => Path.GetFileName(t.FilePath) == $"Events{index}.cs");
        return compilation.ReplaceSyntaxTree(old, CSharpSyntaxTree.ParseText(source, GeneratorHarness.ParseOptions, path: old.FilePath));
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
