using Shared.Generators;

namespace Gravity.Sync.Generators.Model;

/// <summary>Where an event is projected into a table, for the compilation-wide duplicate check.</summary>
/// <param name="EventName">The event name.</param>
/// <param name="Table">The table.</param>
/// <param name="Databases">The databases named; empty means the attached or default ones.</param>
/// <param name="TypeDisplay">The declaring type as messages show it.</param>
/// <param name="Location">The attribute.</param>
internal sealed record ProjectionSite(
    string EventName,
    string Table,
    EquatableArray<string> Databases,
    string TypeDisplay,
    LocationInfo? Location);
