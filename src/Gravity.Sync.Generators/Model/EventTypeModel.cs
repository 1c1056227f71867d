using Shared.Generators;

namespace Gravity.Sync.Generators.Model;

/// <summary>A valid <c>[Projection]</c> event type, as the emitters need it.</summary>
/// <param name="TypeName">The type, fully qualified (<c>global::</c>).</param>
/// <param name="TypeDisplay">The type's full name as messages and rule origins show it.</param>
/// <param name="EventName">The event name.</param>
/// <param name="IsValueType">Whether the type is a struct (no null check).</param>
/// <param name="Properties">The projected properties, in declaration order (base type first).</param>
/// <param name="Projections">The projections, in attribute order.</param>
internal sealed record EventTypeModel(
    string TypeName,
    string TypeDisplay,
    string EventName,
    bool IsValueType,
    EquatableArray<PropertyModel> Properties,
    EquatableArray<ProjectionModel> Projections);
