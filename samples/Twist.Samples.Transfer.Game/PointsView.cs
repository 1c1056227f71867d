namespace Twist.Samples.Transfer.Game;

/// <summary>A user's points as <c>GET /api/game/users/{user}</c> shows them.</summary>
/// <param name="User">The user id.</param>
/// <param name="Points">The user's points.</param>
/// <param name="Pending">The points of purchases not decided yet (not usable).</param>
/// <param name="Credited">The points of all confirmed purchases; equals <paramref name="Points"/> unless a credit was applied twice.</param>
public sealed record PointsView(string User, long Points, long Pending, long Credited);
