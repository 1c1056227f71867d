using System.Net.Http.Json;
using Twist.Samples.Transfer.Game;

namespace Twist.Samples.Transfer.Caller;

/// <summary>
/// A typed HttpClient for GAME1, with Twist propagation like <see cref="BankClient"/>: a call inside a transaction
/// carries its id, and the answer's participant link is registered with it.
/// </summary>
/// <param name="http">The HttpClient the factory made, with GAME1's base address.</param>
internal sealed class GameClient(HttpClient http)
{
    /// <summary>Try: records <paramref name="points"/> pending for <paramref name="user"/> in the current transaction.</summary>
    public async Task<TryAnswer> AddPendingPointsAsync(string user, long points, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/game/points", new CreditRequest(user, points), cancellationToken);
        return await TryAnswer.ReadAsync(response, cancellationToken);
    }

    /// <summary>Reads a user's points.</summary>
    public async Task<PointsView> GetUserAsync(string user, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<PointsView>($"api/game/users/{Uri.EscapeDataString(user)}", cancellationToken)
            ?? throw new InvalidOperationException($"GAME1 answered nothing for {user}.");
}
