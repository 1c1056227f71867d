using Twist.Client;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Samples.Transfer.Caller;

/// <summary>How a purchase ended, as the caller saw it.</summary>
/// <param name="Tid">The transaction id.</param>
/// <param name="Status">The transaction's status when the caller left it (the story waits for the final one).</param>
/// <param name="Summary">What happened, in words.</param>
internal sealed record Purchase(string Tid, TransactionStatus Status, string Summary);

/// <summary>
/// The caller (the web site, WEB in the seed). One purchase is one TCC transaction: Try at BANK1 (hold the dollars),
/// Try at GAME1 (pending points), then Confirm. When either refuses, or the caller walks away, it leaves the
/// transaction's scope without confirming, and disposing the transaction cancels it: both reservations are released.
/// </summary>
/// <param name="twist">The Twist client; embedded or hosted coordinator, this code does not change.</param>
/// <param name="bank">BANK1's typed client.</param>
/// <param name="game">GAME1's typed client.</param>
internal sealed class PointsShop(ITwistClient twist, BankClient bank, GameClient game)
{
    /// <summary>Gets how long a purchase may stay undecided before the coordinator cancels it.</summary>
    /// <value>The default value is 30 seconds.</value>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Buys <paramref name="points"/> for <paramref name="dollars"/>; with <paramref name="abandon"/> the caller walks away before confirming.</summary>
    public async Task<Purchase> BuyAsync(string user, long dollars, long points, bool abandon, CancellationToken cancellationToken)
    {
        await using var transaction = await twist.BeginAsync(Timeout, cancellationToken);

        var debit = await bank.HoldAsync(user, dollars, cancellationToken);
        if (!debit.Accepted)
        {
            return Left(transaction, $"BANK1 refused the debit ({debit.Reason}); leaving without confirming cancels the transaction");
        }

        var credit = await game.AddPendingPointsAsync(user, points, cancellationToken);
        if (!credit.Accepted)
        {
            return Left(transaction, $"GAME1 refused the points ({credit.Reason}); leaving without confirming cancels it, and BANK1 releases the ${dollars} hold");
        }

        if (abandon)
        {
            return Left(transaction, $"both reserved ({transaction.Participants.Count} participant links), then the caller walked away: disposing the transaction cancels it");
        }

        try
        {
            var confirmed = await transaction.ConfirmAsync(cancellationToken);
            return new Purchase(transaction.Tid, confirmed.Status, $"both reserved ({transaction.Participants.Count} participant links); confirmed");
        }
        catch (TransactionConflictException ex)
        {
            // The coordinator had already cancelled it (the deadline passed, or a participant link expired).
            return new Purchase(transaction.Tid, ex.Transaction.Status, $"the coordinator cancelled it instead ({ex.Transaction.Reason})");
        }
    }

    private static Purchase Left(TwistTransaction transaction, string summary) => new(transaction.Tid, transaction.Info.Status, summary);
}
