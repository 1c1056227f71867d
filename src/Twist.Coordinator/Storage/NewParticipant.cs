namespace Twist.Coordinator.Storage;

/// <summary>A participant to add to a transaction.</summary>
/// <param name="Target">Where and how Confirm and Cancel are delivered; its <see cref="ParticipantTarget.Uri"/> is unique per transaction.</param>
/// <param name="Expires">When the participant's reservation expires.</param>
public sealed record NewParticipant(ParticipantTarget Target, DateTimeOffset Expires);
