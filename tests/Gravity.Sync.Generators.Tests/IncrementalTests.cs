using Microsoft.CodeAnalysis;
using Twist.Testing.Generators;

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

    private static readonly string[] TrackedSteps =
    [
        ProjectionGenerator.TrackingNames.EventTypes,
        ProjectionGenerator.TrackingNames.GenerationModel,
    ];

    [Fact]
    public void Editing_an_unrelated_file_reuses_every_tracked_step()
    {
        var (driver, compilation) = IncrementalPipeline.RunOnce(EventType, IncrementalPipeline.UnrelatedSource);

        GeneratorRunResult second = IncrementalPipeline.RunAfterEdit(driver, compilation, 1, IncrementalPipeline.EditedUnrelatedSource);

        IncrementalPipeline.AssertEveryStepReused(second, TrackedSteps);
    }

    [Fact]
    public void Editing_a_method_body_of_an_event_type_keeps_the_model_unchanged()
    {
        var (driver, compilation) = IncrementalPipeline.RunOnce(EventType, IncrementalPipeline.UnrelatedSource);

        GeneratorRunResult second = IncrementalPipeline.RunAfterEdit(
            driver, compilation, 0, EventType.Replace("\"user \"", "\"User \"", StringComparison.Ordinal));

        Assert.Equal(IncrementalStepRunReason.Unchanged, IncrementalPipeline.ReasonOf(second, ProjectionGenerator.TrackingNames.EventTypes));
        Assert.Equal(IncrementalStepRunReason.Cached, IncrementalPipeline.ReasonOf(second, ProjectionGenerator.TrackingNames.GenerationModel));
    }

    [Fact]
    public void Renaming_a_column_regenerates()
    {
        var (driver, compilation) = IncrementalPipeline.RunOnce(EventType, IncrementalPipeline.UnrelatedSource);

        GeneratorRunResult second = IncrementalPipeline.RunAfterEdit(
            driver, compilation, 0, EventType.Replace("string Name", "[property: Column(\"col_name\")] string Name", StringComparison.Ordinal));

        Assert.Equal(IncrementalStepRunReason.Modified, IncrementalPipeline.ReasonOf(second, ProjectionGenerator.TrackingNames.GenerationModel));
        Assert.Contains("\"col_name\"", second.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilations()
    {
        var (driver, _) = IncrementalPipeline.RunOnce(EventType, IncrementalPipeline.UnrelatedSource, """
            using Gravity.Sync.Rules;

            [Projection("bad", Table = "bad table")]
            public sealed record Bad(long Id);
            """);

        IncrementalPipeline.AssertModelsHoldNoRoslynObjects(driver.GetRunResult().Results.Single(), TrackedSteps);
    }
}
