using System.Net.Http.Json;
using System.Text.Json;
using Twist.Client;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Samples.Transfer.Caller;

/// <summary>How a purchase ended.</summary>
internal sealed record PurchaseResult(string Tid, TransactionStatus Status, string Summary);

/// <summary>
/// The caller (the web site, WEB in the seed): one purchase is one TCC transaction: Try at the bank (hold the dollars),
/// Try at the game (pending points), then Confirm both, or Cancel both when either refused.
/// </summary>
/// <param name="twist">The Twist client (embedded or remote coordinator, it does not matter here).</param>
/// <param name="http">An HttpClient with <c>AddTwistTransactionPropagation()</c>: it adds the transaction headers to
/// the Try calls and registers the participant links from their answers.</param>
/// <param name="bank">The bank's base address.</param>
/// <param name="game">The game's base address.</param>
internal sealed class PointsShop(ITwistClient twist, HttpClient http, Uri bank, Uri game)
{
    /// <summary>Buys points; when <paramref name="abandon"/> is set the caller walks away before confirming.</summary>
    public async Task<PurchaseResult> BuyAsync(string user, long dollars, long points, bool abandon, CancellationToken cancellationToken)
    {
        string tid;
        await using (var transaction = await twist.BeginAsync(TimeSpan.FromSeconds(30), cancellationToken))
        {
            tid = transaction.Tid;

            using var debit = await http.PostAsJsonAsync(new Uri(bank, "api/bank/debits"), new { account = user, amount = dollars }, cancellationToken);
            if (!debit.IsSuccessStatusCode)
            {
                var info = await transaction.CancelAsync(cancellationToken);
                return new(tid, info.Status, $"BANK1 refused the debit ({await ReasonAsync(debit, cancellationToken)}); cancelled");
            }

            using var credit = await http.PostAsJsonAsync(new Uri(game, "api/game/points"), new { user, points }, cancellationToken);
            if (!credit.IsSuccessStatusCode)
            {
                var info = await transaction.CancelAsync(cancellationToken);
                return new(tid, info.Status, $"GAME1 refused the credit ({await ReasonAsync(credit, cancellationToken)}); cancelled, BANK1 released the ${dollars} hold");
            }

            if (!abandon)
            {
                try
                {
                    var info = await transaction.ConfirmAsync(cancellationToken);
                    return new(tid, info.Status, $"both Try answers registered ({transaction.Participants.Count} participants); confirmed");
                }
                catch (TransactionConflictException ex)
                {
                    return new(tid, ex.Transaction.Status, $"the coordinator cancelled it instead ({ex.Transaction.Reason})");
                }
                catch (TwistException ex)
                {
                    // Not decided (e.g. the coordinator refused a link): disposing the transaction cancels it.
                    return new(tid, TransactionStatus.Active, $"the coordinator refused the confirm: {ex.Message}");
                }
            }

            // Abandoned: leave the block without Confirm. Disposing the transaction cancels it.
        }

        var final = await twist.Coordinator.GetAsync(tid, cancellationToken);
        return new(tid, final.Status, "the caller walked away before confirming; disposing the transaction cancelled it");
    }

    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = problem.RootElement;
            var text = root.TryGetProperty("detail", out var detail) ? detail.GetString()
                : root.TryGetProperty("title", out var title) ? title.GetString() : null;
            return $"{(int)response.StatusCode}: {text}";
        }
        catch (JsonException)
        {
            return $"{(int)response.StatusCode}";
        }
    }
}
