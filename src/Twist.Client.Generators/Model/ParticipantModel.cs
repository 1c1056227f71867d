namespace Twist.Client.Generators.Model;

/// <summary>A valid participant, as the emitter needs it. Type names are fully qualified (<c>global::</c>).</summary>
/// <param name="Name">The participant name from <c>[TccParticipant(name)]</c>.</param>
/// <param name="Route">The <c>Route</c> named argument, or <see langword="null"/>.</param>
/// <param name="TypeName">The participant class.</param>
/// <param name="RequestType">The Try request type.</param>
/// <param name="ResultType">The Try result type; <see langword="null"/> when Try returns a plain Task.</param>
/// <param name="TryMethod">The Try method's name, escaped if it is a keyword.</param>
/// <param name="ConfirmMethod">The Confirm method's name, escaped if it is a keyword.</param>
/// <param name="CancelMethod">The Cancel method's name, escaped if it is a keyword.</param>
internal sealed record ParticipantModel(
    string Name,
    string? Route,
    string TypeName,
    string RequestType,
    string? ResultType,
    string TryMethod,
    string ConfirmMethod,
    string CancelMethod);
