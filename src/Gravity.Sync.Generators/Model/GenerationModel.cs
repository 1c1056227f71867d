using Shared.Generators;

namespace Gravity.Sync.Generators.Model;

/// <summary>Everything the output step needs for one compilation.</summary>
/// <param name="HasEventTypes">Whether any type is marked <c>[Projection]</c> (valid or not).</param>
/// <param name="EventTypes">The valid event types, ordered by name.</param>
/// <param name="Diagnostics">Every diagnostic to report.</param>
internal sealed record GenerationModel(
    bool HasEventTypes,
    EquatableArray<EventTypeModel> EventTypes,
    EquatableArray<DiagnosticInfo> Diagnostics);
