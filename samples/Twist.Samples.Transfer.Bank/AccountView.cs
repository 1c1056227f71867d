namespace Twist.Samples.Transfer.Bank;

/// <summary>An account as <c>GET /api/bank/accounts/{id}</c> shows it.</summary>
/// <param name="Id">The account id.</param>
/// <param name="Balance">The dollars available: opening balance less what is held and what was spent.</param>
/// <param name="Held">The dollars held by transactions not decided yet.</param>
/// <param name="Spent">The dollars spent by confirmed transactions.</param>
public sealed record AccountView(string Id, long Balance, long Held, long Spent);
