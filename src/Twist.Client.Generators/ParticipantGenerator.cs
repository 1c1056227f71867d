using Microsoft.CodeAnalysis;
using Shared.Generators;
using Twist.Client.Generators.Model;

namespace Twist.Client.Generators;

/// <summary>
/// Finds the <c>[TccParticipant]</c> classes of a compilation and generates an <c>AddTwistParticipants()</c>
/// extension method that registers each of them, with static lambdas instead of reflection. Wrong participant
/// declarations are reported as TWIST diagnostics (see <c>AnalyzerReleases.Unshipped.md</c>).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ParticipantGenerator : IIncrementalGenerator
{
    /// <summary>The hint name of the generated file.</summary>
    public const string HintName = "TwistParticipants.g.cs";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ParticipantParseResult> participants = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ParticipantParser.ParticipantAttributeMetadataName,
                static (node, _) => ParticipantParser.IsCandidate(node),
                ParticipantParser.Parse)
            .WithTrackingName(TrackingNames.Participants);

        IncrementalValueProvider<GenerationModel> model = participants
            .Collect()
            .Select(ParticipantCollector.Collect)
            .WithTrackingName(TrackingNames.GenerationModel);

        context.RegisterSourceOutput(model, static (output, model) =>
        {
            foreach (DiagnosticInfo diagnostic in model.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (model.HasParticipantClasses)
            {
                output.AddSource(HintName, ParticipantEmitter.Emit(model.Participants));
            }
        });
    }

    /// <summary>The names of the tracked pipeline steps (for incremental-caching tests).</summary>
    public static class TrackingNames
    {
        /// <summary>One result per <c>[TccParticipant]</c> class.</summary>
        public const string Participants = nameof(Participants);

        /// <summary>The combined model the source is generated from.</summary>
        public const string GenerationModel = nameof(GenerationModel);
    }
}
