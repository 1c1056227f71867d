namespace Twist.Participants;

/// <summary>
/// Declares a TCC participant: a class with one <see cref="TryAttribute"/>, one <see cref="ConfirmAttribute"/> and one
/// <see cref="CancelAttribute"/> method. The Twist.Client source generator registers it (no reflection scanning) and
/// <c>MapTwistParticipants()</c> exposes its protocol endpoints.
/// </summary>
/// <param name="name">The participant's name: unique in the service, 1-64 characters of letters, digits, '-' or '_'; it appears in routes and guard rows.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class TccParticipantAttribute(string name) : Attribute
{
    /// <summary>Gets the participant's name.</summary>
    public string Name { get; } = name;

    /// <summary>Gets or sets the route prefix of its endpoints.</summary>
    /// <value>The default value is <see langword="null"/>: <c>/twist/participants/{name}</c>.</value>
    public string? Route { get; set; }
}
