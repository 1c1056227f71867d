namespace Twist.Samples.Transfer.Game;

/// <summary>The Try request of a points purchase: which user, how many points.</summary>
/// <param name="User">The user id, e.g. <c>USER1</c>.</param>
/// <param name="Points">The points to credit.</param>
public sealed record CreditRequest(string User, long Points);
