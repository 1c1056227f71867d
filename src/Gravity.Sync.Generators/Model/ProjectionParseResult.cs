using Shared.Generators;

namespace Gravity.Sync.Generators.Model;

/// <summary>What one <c>[Projection]</c> event type yields: a model when it is valid, its projection sites and its diagnostics.</summary>
/// <param name="Sites">Every projection with a valid event name and table (also for invalid types, so duplicates are still found).</param>
/// <param name="Model">The model; <see langword="null"/> when the type has errors.</param>
/// <param name="Diagnostics">The type's own diagnostics.</param>
internal sealed record ProjectionParseResult(
    EquatableArray<ProjectionSite> Sites,
    EventTypeModel? Model,
    EquatableArray<DiagnosticInfo> Diagnostics);
