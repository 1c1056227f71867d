using Twist.Participants;

namespace Twist.Samples.Transfer.Game;

/// <summary>
/// GAME1's TCC participant. Try records a pending credit (GAME1 refuses purchases above <c>Game:MaxPointsPerPurchase</c>
/// points); Confirm adds it to the user's points; Cancel drops it.
/// </summary>
/// <remarks>
/// Confirm adds to the user's points, which would be wrong if it ran twice: the SDK's guard (same SQLite file, same
/// local transaction) runs it at most once per transaction, and only after a successful Try.
/// </remarks>
/// <param name="configuration">The service's configuration, for the purchase limit.</param>
[TccParticipant("game-points", Route = "/api/game/points")]
public sealed class GameCredit(IConfiguration configuration)
{
    /// <summary>Records the pending credit, or refuses: 422 when the purchase is larger than GAME1 sells.</summary>
    /// <param name="request">The user and points.</param>
    /// <param name="context">The call's context; the writes join its transaction.</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>A task that completes when the credit is recorded.</returns>
    [Try]
    public async Task RecordAsync(CreditRequest request, TccContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(request.User) || request.Points <= 0)
        {
            throw new TccRejectedException(400, "Give a user and a positive number of points.", "invalid-credit");
        }

        var max = configuration.GetValue($"{GameService.Section}:MaxPointsPerPurchase", GameService.DefaultMaxPointsPerPurchase);
        if (request.Points > max)
        {
            throw new TccRejectedException(422, $"GAME1 sells at most {max} points per purchase; {request.Points} were asked.", "purchase-too-large");
        }

        // The pending row is the reservation: nothing is credited yet.
        await Sql.ExecuteAsync(context, "INSERT INTO credits(tid, user, points, state) VALUES($tid, $u, $p, 'pending')",
            cancellationToken, ("$u", request.User), ("$p", request.Points));
    }

    /// <summary>Credits the pending points.</summary>
    /// <param name="context">The call's context.</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>A task that completes when the points are credited.</returns>
    [Confirm]
    public async Task CreditAsync(TccContext context, CancellationToken cancellationToken)
    {
        await Sql.ExecuteAsync(context,
            "INSERT INTO points(user, points) SELECT user, points FROM credits WHERE tid = $tid ON CONFLICT(user) DO UPDATE SET points = points + excluded.points",
            cancellationToken);
        await Sql.ExecuteAsync(context, "UPDATE credits SET state = 'credited' WHERE tid = $tid", cancellationToken);
    }

    /// <summary>Drops the pending credit: nothing was credited yet. After a refused Try there is no row, and nothing changes.</summary>
    /// <param name="context">The call's context.</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>A task that completes when the credit is dropped.</returns>
    [Cancel]
    public Task DropAsync(TccContext context, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(context, "UPDATE credits SET state = 'dropped' WHERE tid = $tid", cancellationToken);
}
