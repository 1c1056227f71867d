using Shared.Generators;

namespace Twist.Client.Generators.Model;

/// <summary>What one <c>[TccParticipant]</c> class yields: a model when it is valid, and its diagnostics.</summary>
/// <param name="Name">The declared name when it is valid (used to find duplicates even on invalid classes), else <see langword="null"/>.</param>
/// <param name="NameLocation">Where the name is written (the attribute argument).</param>
/// <param name="TypeDisplay">The class as messages show it.</param>
/// <param name="Participant">The model; <see langword="null"/> when the class has errors.</param>
/// <param name="Diagnostics">The class's own diagnostics.</param>
internal sealed record ParticipantParseResult(
    string? Name,
    LocationInfo? NameLocation,
    string TypeDisplay,
    ParticipantModel? Participant,
    EquatableArray<DiagnosticInfo> Diagnostics);
