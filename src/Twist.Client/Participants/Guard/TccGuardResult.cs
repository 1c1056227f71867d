namespace Twist.Participants;

/// <summary>The guard's decision for one phase call.</summary>
/// <param name="Outcome">What the guard decided.</param>
/// <param name="Expires">
/// For Try: when the reservation lapses (the participant link's <c>expires</c>), on <see cref="TccGuardOutcome.Proceed"/>
/// and <see cref="TccGuardOutcome.Duplicate"/>; otherwise <see langword="null"/>.
/// </param>
/// <param name="Epoch">
/// For Confirm and Cancel: the highest coordinator epoch recorded for the transaction after the call (0 when none was
/// ever sent); on <see cref="TccGuardOutcome.Superseded"/>, the epoch that overtook the caller's.
/// </param>
public readonly record struct TccGuardResult(TccGuardOutcome Outcome, DateTimeOffset? Expires = null, long Epoch = 0);
