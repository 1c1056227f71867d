using Microsoft.Extensions.Options;
using Twist.Client;
using Twist.Transactions;

namespace Company.Caller1.Orders;

public sealed record Order(string Account, long Amount);

public sealed record WalletDebit(string Account, long Amount);

/// <summary>What became of an order: placed (with the transaction's status) or refused by a participant.</summary>
public sealed record OrderOutcome(string Tid, TransactionStatus? Status, int? RefusedWith, string? Reason)
{
    public bool Placed => RefusedWith is null;
}

/// <summary>Places an order as one Twist transaction: every participant's Try, then Confirm; or nothing at all.</summary>
public sealed class OrderCheckout(HttpClient http, ITwistClient twist, IOptions<CheckoutOptions> options)
{
    public async Task<OrderOutcome> PlaceAsync(Order order, CancellationToken cancellationToken)
    {
        await using var tx = await twist.BeginAsync(options.Value.TransactionTimeout, cancellationToken);

        // Try: the wallet holds the amount. Its answer registers the wallet with tx (AddTwistTransactionPropagation).
        using var debit = await http.PostAsJsonAsync(options.Value.WalletTryUri, new WalletDebit(order.Account, order.Amount), cancellationToken);
        if (!debit.IsSuccessStatusCode)
        {
            // Leaving without ConfirmAsync cancels every Try that did succeed.
            return new OrderOutcome(tx.Tid, null, (int)debit.StatusCode, await debit.Content.ReadAsStringAsync(cancellationToken));
        }

        // More participants (stock, shipping...) go here, each with its own Try call.
        var confirmed = await tx.ConfirmAsync(cancellationToken);
        return new OrderOutcome(tx.Tid, confirmed.Status, null, null);
    }
}
