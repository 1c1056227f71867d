using System.Net.Http.Json;
using Twist.Samples.Transfer.Bank;

namespace Twist.Samples.Transfer.Caller;

/// <summary>
/// A typed HttpClient for BANK1. Registered with <c>AddHttpClient&lt;BankClient&gt;(...).AddTwistTransactionPropagation()</c>,
/// so a call made inside <c>twist.BeginAsync(...)</c> carries the transaction's id and deadline, and the participant
/// link of its answer is registered with the transaction: nothing here mentions the transaction.
/// </summary>
/// <param name="http">The HttpClient the factory made, with BANK1's base address.</param>
internal sealed class BankClient(HttpClient http)
{
    /// <summary>Try: holds <paramref name="dollars"/> of <paramref name="account"/> for the current transaction.</summary>
    public async Task<TryAnswer> HoldAsync(string account, long dollars, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("api/bank/debits", new DebitRequest(account, dollars), cancellationToken);
        return await TryAnswer.ReadAsync(response, cancellationToken);
    }

    /// <summary>Reads an account.</summary>
    public async Task<AccountView> GetAccountAsync(string account, CancellationToken cancellationToken) =>
        await http.GetFromJsonAsync<AccountView>($"api/bank/accounts/{Uri.EscapeDataString(account)}", cancellationToken)
            ?? throw new InvalidOperationException($"BANK1 answered no account {account}.");
}
