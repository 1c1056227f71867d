using Twist.Participants;

namespace Company.Participant1.Wallet;

public sealed record DebitRequest(string Account, long Amount);

public sealed record DebitHold(string Account, long Amount);

/// <summary>
/// Debits a wallet in two steps. Try holds the amount, Confirm spends what was held, Cancel releases it. Each handler
/// runs inside the guard's local transaction, so the wallet rows and the guard row commit together, duplicates are
/// no-ops, and a Cancel that arrives before its Try makes that late Try fail.
/// </summary>
[TccParticipant("wallet-debit")]
public sealed class WalletDebit
{
    [Try]
    public async Task<DebitHold> HoldAsync(DebitRequest request, TccContext context, CancellationToken cancellationToken)
    {
        if (request.Amount <= 0)
        {
            throw new TccRejectedException(400, "The amount must be positive.");
        }

        var held = await WalletSql.ExecuteAsync(
            context,
            "UPDATE wallet SET held = held + @amount WHERE account = @account AND balance - held >= @amount",
            cancellationToken,
            ("@account", request.Account),
            ("@amount", request.Amount));
        if (held == 0)
        {
            throw new TccRejectedException(409, $"Wallet {request.Account} cannot cover {request.Amount}.");
        }

        await WalletSql.ExecuteAsync(
            context,
            "INSERT INTO wallet_hold (tid, account, amount) VALUES (@tid, @account, @amount)",
            cancellationToken,
            ("@account", request.Account),
            ("@amount", request.Amount));
        return new DebitHold(request.Account, request.Amount);
    }

    [Confirm]
    public async Task SpendAsync(TccContext context, CancellationToken cancellationToken)
    {
        await WalletSql.ExecuteAsync(
            context,
            "UPDATE wallet SET balance = balance - h.amount, held = held - h.amount FROM wallet_hold h WHERE h.tid = @tid AND wallet.account = h.account",
            cancellationToken);
        await WalletSql.ExecuteAsync(context, "DELETE FROM wallet_hold WHERE tid = @tid", cancellationToken);
    }

    [Cancel]
    public async Task ReleaseAsync(TccContext context, CancellationToken cancellationToken)
    {
        // Also called after a Try that failed halfway: there may be nothing to release.
        await WalletSql.ExecuteAsync(
            context,
            "UPDATE wallet SET held = held - h.amount FROM wallet_hold h WHERE h.tid = @tid AND wallet.account = h.account",
            cancellationToken);
        await WalletSql.ExecuteAsync(context, "DELETE FROM wallet_hold WHERE tid = @tid", cancellationToken);
    }
}
