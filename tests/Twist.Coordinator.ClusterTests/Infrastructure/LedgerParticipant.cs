using System.Data.Common;
using Twist.Participants;

namespace Twist.Coordinator.ClusterTests.Infrastructure;

/// <summary>One leg of a transfer: a negative amount debits the account, a positive one credits it.</summary>
public sealed record LegRequest(long Amount);

/// <summary>What a participant service's handlers need besides the database: how long Confirm takes.</summary>
public sealed class LedgerSettings
{
    public TimeSpan ConfirmDelay { get; set; }
}

/// <summary>
/// A participant as a user writes it with the SDK: plain business SQL in the guard's transaction. A debit leaves the
/// balance at Try (so money cannot be spent twice); a credit arrives at Confirm. Each hold counts how often Confirm
/// and Cancel ran for it, which is how the tests prove no phase was ever applied twice.
/// </summary>
public sealed class LedgerParticipant(LedgerSettings settings)
{
    public const string Name = "ledger";

    public static TccParticipantRegistration<LedgerParticipant, LegRequest, NoResult> Registration() =>
        new(
            Name,
            static async (p, r, c, t) =>
            {
                await p.TryAsync(r, c, t);
                return NoResult.Value;
            },
            static (p, c, t) => p.ConfirmAsync(c, t),
            static (p, c, t) => p.CancelAsync(c, t));

    public async Task TryAsync(LegRequest request, TccContext context, CancellationToken cancellationToken)
    {
        if (request.Amount < 0
            && await ExecuteAsync(context, "UPDATE accounts SET balance = balance + @a WHERE id = 'main' AND balance + @a >= 0", cancellationToken, request.Amount) == 0)
        {
            throw new TccRejectedException(409, "Insufficient funds.");
        }

        await ExecuteAsync(context, "INSERT INTO holds (tid, amount, state) VALUES (@t, @a, 'held')", cancellationToken, request.Amount);
    }

    public async Task ConfirmAsync(TccContext context, CancellationToken cancellationToken)
    {
        if (settings.ConfirmDelay > TimeSpan.Zero)
        {
            await Task.Delay(settings.ConfirmDelay, cancellationToken);
        }

        await ExecuteAsync(context, "UPDATE accounts SET balance = balance + h.amount FROM holds h WHERE h.tid = @t AND h.amount > 0 AND accounts.id = 'main'", cancellationToken);
        await ExecuteAsync(context, "UPDATE holds SET state = 'confirmed', confirms = confirms + 1 WHERE tid = @t", cancellationToken);
    }

    public async Task CancelAsync(TccContext context, CancellationToken cancellationToken)
    {
        await ExecuteAsync(context, "UPDATE accounts SET balance = balance - h.amount FROM holds h WHERE h.tid = @t AND h.amount < 0 AND accounts.id = 'main'", cancellationToken);
        await ExecuteAsync(context, "UPDATE holds SET state = 'cancelled', cancels = cancels + 1 WHERE tid = @t", cancellationToken);
    }

    private static async Task<int> ExecuteAsync(TccContext context, string sql, CancellationToken cancellationToken, long? amount = null)
    {
        await using DbCommand command = context.Connection!.CreateCommand();
        command.Transaction = context.Transaction;
        command.CommandText = sql;
        Add(command, "t", context.Tid);
        if (amount is not null)
        {
            Add(command, "a", amount.Value);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
