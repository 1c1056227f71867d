using Shared.Generators;

namespace Twist.Client.Generators.Model;

/// <summary>Everything the output step needs for one compilation.</summary>
/// <param name="HasParticipantClasses">Whether any class is marked <c>[TccParticipant]</c> (valid or not).</param>
/// <param name="Participants">The valid participants, ordered by name.</param>
/// <param name="Diagnostics">Every diagnostic to report.</param>
internal sealed record GenerationModel(
    bool HasParticipantClasses,
    EquatableArray<ParticipantModel> Participants,
    EquatableArray<DiagnosticInfo> Diagnostics);
