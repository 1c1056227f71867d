using Microsoft.CodeAnalysis;
using Twist.Testing.Generators;

namespace Twist.Client.Generators.Tests;

/// <summary>The generator caches like a compiler feature should: unrelated edits do no work past the syntax filter.</summary>
public sealed class IncrementalTests
{
    private const string Participant = """
        using System.Threading;
        using System.Threading.Tasks;
        using Twist.Participants;

        namespace App;

        [TccParticipant("wallet")]
        public sealed class Wallet
        {
            [Try] public Task<int> TryAsync(string request, TccContext context, CancellationToken cancellationToken) => Task.FromResult(1);
            [Confirm] public Task ConfirmAsync(TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;
            [Cancel] public Task CancelAsync(TccContext context, CancellationToken cancellationToken) => Task.CompletedTask;
        }
        """;

    private static readonly string[] TrackedSteps =
    [
        ParticipantGenerator.TrackingNames.Participants,
        ParticipantGenerator.TrackingNames.GenerationModel,
    ];

    [Fact]
    public void Editing_an_unrelated_file_reuses_every_tracked_step()
    {
        var (driver, compilation) = IncrementalPipeline.RunOnce(Participant, IncrementalPipeline.UnrelatedSource);

        GeneratorRunResult second = IncrementalPipeline.RunAfterEdit(driver, compilation, 1, IncrementalPipeline.EditedUnrelatedSource);

        IncrementalPipeline.AssertEveryStepReused(second, TrackedSteps);
    }

    [Fact]
    public void Editing_a_method_body_of_a_participant_keeps_the_model_unchanged()
    {
        var (driver, compilation) = IncrementalPipeline.RunOnce(Participant, IncrementalPipeline.UnrelatedSource);

        GeneratorRunResult second = IncrementalPipeline.RunAfterEdit(
            driver, compilation, 0, Participant.Replace("Task.FromResult(1)", "Task.FromResult(2)", StringComparison.Ordinal));

        Assert.Equal(IncrementalStepRunReason.Unchanged, IncrementalPipeline.ReasonOf(second, ParticipantGenerator.TrackingNames.Participants));
        Assert.Equal(IncrementalStepRunReason.Cached, IncrementalPipeline.ReasonOf(second, ParticipantGenerator.TrackingNames.GenerationModel));
    }

    [Fact]
    public void Renaming_a_participant_regenerates()
    {
        var (driver, compilation) = IncrementalPipeline.RunOnce(Participant, IncrementalPipeline.UnrelatedSource);

        GeneratorRunResult second = IncrementalPipeline.RunAfterEdit(
            driver, compilation, 0, Participant.Replace("\"wallet\"", "\"purse\"", StringComparison.Ordinal));

        Assert.Equal(IncrementalStepRunReason.Modified, IncrementalPipeline.ReasonOf(second, ParticipantGenerator.TrackingNames.GenerationModel));
        Assert.Contains("\"purse\"", second.GeneratedSources.Single().SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_models_hold_no_symbols_syntax_or_compilations()
    {
        var (driver, _) = IncrementalPipeline.RunOnce(Participant, IncrementalPipeline.UnrelatedSource, """
            using Twist.Participants;

            [TccParticipant("bad name")]
            public sealed class Bad
            {
            }
            """);

        IncrementalPipeline.AssertModelsHoldNoRoslynObjects(driver.GetRunResult().Results.Single(), TrackedSteps);
    }
}
