using System.Linq;
using Gravity.Sync.Generators.Model;
using Microsoft.CodeAnalysis;
using Shared.Generators;

namespace Gravity.Sync.Generators;

/// <summary>
/// Finds the <c>[Projection]</c> event types of a compilation and generates, without reflection, the rule declarations
/// they stand for (registered by <c>AddGeneratedProjections()</c>) and a <c>ToGravityEvent()</c> writer of the payload
/// those rules read. Invalid rules are reported as GRAVITY diagnostics (see <c>AnalyzerReleases.Unshipped.md</c>).
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ProjectionGenerator : IIncrementalGenerator
{
    /// <summary>The hint name of the generated file.</summary>
    public const string HintName = "GravityProjections.g.cs";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<ProjectionParseResult?> eventTypes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                ProjectionParser.ProjectionAttributeMetadataName,
                static (node, _) => ProjectionParser.IsCandidate(node),
                ProjectionParser.Parse)
            .WithTrackingName(TrackingNames.EventTypes);

        IncrementalValueProvider<GenerationModel> model = eventTypes
            .Collect()
            .Select(ProjectionCollector.Collect)
            .WithTrackingName(TrackingNames.GenerationModel);

        context.RegisterSourceOutput(model, static (output, model) =>
        {
            foreach (DiagnosticInfo diagnostic in model.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }

            if (model.HasEventTypes)
            {
                output.AddSource(HintName, ProjectionEmitter.Emit(model.EventTypes));
            }
        });
    }

    /// <summary>The names of the tracked pipeline steps (for incremental-caching tests).</summary>
    public static class TrackingNames
    {
        /// <summary>One result per <c>[Projection]</c> event type.</summary>
        public const string EventTypes = nameof(EventTypes);

        /// <summary>The combined model the source is generated from.</summary>
        public const string GenerationModel = nameof(GenerationModel);
    }
}
