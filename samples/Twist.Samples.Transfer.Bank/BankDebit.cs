using Twist.Participants;

namespace Twist.Samples.Transfer.Bank;

/// <summary>
/// BANK1's TCC participant. Try holds the dollars: they leave the balance at once, so two purchases can never spend
/// the same dollar. Confirm adds the hold to what was spent; Cancel gives it back.
/// </summary>
/// <remarks>
/// The handlers are plain business code on purpose: Confirm and Cancel add to a balance, which would be wrong if they
/// ran twice. The SDK's guard, in the same SQLite file and the same local transaction, is what makes that impossible:
/// it runs Confirm at most once and only after a successful Try, answers a duplicate without calling the handler, turns
/// a Cancel that arrives before the Try into a tombstone that refuses the late Try, and still calls Cancel after a Try
/// that failed.
/// </remarks>
[TccParticipant("bank-debit", Route = "/api/bank/debits")]
public sealed class BankDebit
{
    /// <summary>Holds the dollars, or refuses: 404 for an unknown account, 409 when the balance is short.</summary>
    /// <param name="request">The account and amount.</param>
    /// <param name="context">The call's context; the writes join its transaction.</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>A task that completes when the hold is written.</returns>
    [Try]
    public async Task HoldAsync(DebitRequest request, TccContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrEmpty(request.Account) || request.Amount <= 0)
        {
            throw new TccRejectedException(400, "Give an account and a positive whole-dollar amount.", "invalid-debit");
        }

        var held = await Sql.ExecuteAsync(context, "UPDATE accounts SET balance = balance - $a WHERE id = $id AND balance >= $a",
            cancellationToken, ("$a", request.Amount), ("$id", request.Account));
        if (held != 1)
        {
            var balance = await Sql.ScalarAsync(context, "SELECT balance FROM accounts WHERE id = $id", cancellationToken, ("$id", request.Account));
            throw balance is null
                ? new TccRejectedException(404, $"BANK1 has no account {request.Account}.", "unknown-account")
                : new TccRejectedException(409, $"{request.Account} has ${balance} available, ${request.Amount} needed.", "insufficient-funds");
        }

        await Sql.ExecuteAsync(context, "INSERT INTO holds(tid, account, amount, state) VALUES($tid, $id, $a, 'held')",
            cancellationToken, ("$id", request.Account), ("$a", request.Amount));
    }

    /// <summary>Spends the held dollars.</summary>
    /// <param name="context">The call's context.</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>A task that completes when the hold is spent.</returns>
    [Confirm]
    public async Task SpendAsync(TccContext context, CancellationToken cancellationToken)
    {
        await Sql.ExecuteAsync(context, "UPDATE accounts SET spent = spent + (SELECT amount FROM holds WHERE tid = $tid) WHERE id = (SELECT account FROM holds WHERE tid = $tid)", cancellationToken);
        await Sql.ExecuteAsync(context, "UPDATE holds SET state = 'spent' WHERE tid = $tid", cancellationToken);
    }

    /// <summary>Gives the held dollars back. After a refused Try there is no hold, and nothing changes.</summary>
    /// <param name="context">The call's context.</param>
    /// <param name="cancellationToken">The request's token.</param>
    /// <returns>A task that completes when the hold is released.</returns>
    [Cancel]
    public async Task ReleaseAsync(TccContext context, CancellationToken cancellationToken)
    {
        await Sql.ExecuteAsync(context, "UPDATE accounts SET balance = balance + (SELECT amount FROM holds WHERE tid = $tid) WHERE id = (SELECT account FROM holds WHERE tid = $tid)", cancellationToken);
        await Sql.ExecuteAsync(context, "UPDATE holds SET state = 'released' WHERE tid = $tid", cancellationToken);
    }
}
