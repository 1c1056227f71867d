namespace Twist.Participants;

/// <summary>The guard's decision for one phase call.</summary>
/// <param name="Outcome">What the guard decided.</param>
/// <param name="Expires">
/// For Try: when the reservation lapses (the participant link's <c>expires</c>), on <see cref="TccGuardOutcome.Proceed"/>
/// and <see cref="TccGuardOutcome.Duplicate"/>; otherwise <see langword="null"/>.
/// </param>
public readonly record struct TccGuardResult(TccGuardOutcome Outcome, DateTimeOffset? Expires = null);
