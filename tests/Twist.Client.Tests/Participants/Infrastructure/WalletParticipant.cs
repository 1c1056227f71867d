using System.Collections.Concurrent;
using System.Data.Common;
using Twist.Participants;

namespace Twist.Client.Tests.Participants.Infrastructure;

public sealed record DebitRequest(long Amount, string? Mode = null);

public sealed record Reservation(string HoldId, long Amount);

public sealed record AuditEntry(string Text);

/// <summary>Records every handler call, and the side effects a failing Try made outside the database.</summary>
public sealed class WalletProbe
{
    private readonly ConcurrentDictionary<string, int> calls = new();

    public ConcurrentQueue<string> ExternalEffects { get; } = new();

    public TimeSpan ConfirmDelay { get; set; }

    /// <summary>Gets or sets a value indicating whether the next Confirm throws after writing (once).</summary>
    public bool FailNextConfirm { get; set; }

    public DateTimeOffset? LastDeadline { get; set; }

    public void Record(string tid, string phase) => calls.AddOrUpdate($"{phase}:{tid}", 1, (_, n) => n + 1);

    public int Calls(string tid, string phase) => calls.TryGetValue($"{phase}:{tid}", out var n) ? n : 0;
}

/// <summary>A participant as a user writes it: the business writes join the guard's transaction (TccContext).</summary>
public sealed class WalletParticipant(WalletProbe probe)
{
    public const string Name = "wallet-debit";

    public static TccParticipantRegistration<WalletParticipant, DebitRequest, Reservation> Registration(string? route = null) =>
        new(Name, static (p, r, c, t) => p.TryAsync(r, c, t), static (p, c, t) => p.ConfirmAsync(c, t), static (p, c, t) => p.CancelAsync(c, t))
        {
            Route = route,
        };

    public async Task<Reservation> TryAsync(DebitRequest request, TccContext context, CancellationToken cancellationToken)
    {
        probe.Record(context.Tid, "try");
        probe.LastDeadline = context.Deadline;
        await ExecuteAsync(context, "INSERT INTO wallet_holds (tid, amount, state) VALUES (@t, @a, 'held')", cancellationToken, request.Amount);
        switch (request.Mode)
        {
            case "fail-after-write":
                // Something outside the database happened before the failure: only the Cancel handler can undo it.
                probe.ExternalEffects.Enqueue(context.Tid);
                throw new InvalidOperationException("Password=hunter2 exploded halfway");
            case "reject":
                throw new TccRejectedException(409, "Insufficient funds.");
        }

        return new Reservation("hold-" + context.Tid, request.Amount);
    }

    public async Task ConfirmAsync(TccContext context, CancellationToken cancellationToken)
    {
        probe.Record(context.Tid, "confirm");
        await ExecuteAsync(context, "UPDATE wallet_holds SET state = 'confirmed' WHERE tid = @t", cancellationToken);
        if (probe.ConfirmDelay > TimeSpan.Zero)
        {
            await Task.Delay(probe.ConfirmDelay, cancellationToken);
        }

        if (probe.FailNextConfirm)
        {
            probe.FailNextConfirm = false;
            throw new InvalidOperationException("Confirm failed after writing");
        }
    }

    public async Task CancelAsync(TccContext context, CancellationToken cancellationToken)
    {
        probe.Record(context.Tid, "cancel");
        await ExecuteAsync(context, "DELETE FROM wallet_holds WHERE tid = @t", cancellationToken);
    }

    private static async Task ExecuteAsync(TccContext context, string sql, CancellationToken cancellationToken, long? amount = null)
    {
        await using DbCommand command = context.Connection!.CreateCommand();
        command.Transaction = context.Transaction;
        command.CommandText = sql;
        Add(command, "@t", context.Tid);
        if (amount is not null)
        {
            Add(command, "@a", amount.Value);
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}

/// <summary>A participant whose Try returns a plain Task: its answer has no "result".</summary>
public sealed class AuditParticipant(WalletProbe probe)
{
    public const string Name = "audit";

    public static TccParticipantRegistration<AuditParticipant, AuditEntry, NoResult> Registration() =>
        new(
            Name,
            static async (p, r, c, t) =>
            {
                await p.TryAsync(r, c, t);
                return NoResult.Value;
            },
            static (p, c, t) => p.ConfirmAsync(c, t),
            static (p, c, t) => p.CancelAsync(c, t))
        {
            Route = "/audit/entries",
        };

    public Task TryAsync(AuditEntry entry, TccContext context, CancellationToken cancellationToken)
    {
        probe.Record(context.Tid, "audit-try");
        return Task.CompletedTask;
    }

    public Task ConfirmAsync(TccContext context, CancellationToken cancellationToken)
    {
        probe.Record(context.Tid, "audit-confirm");
        return Task.CompletedTask;
    }

    public Task CancelAsync(TccContext context, CancellationToken cancellationToken)
    {
        probe.Record(context.Tid, "audit-cancel");
        return Task.CompletedTask;
    }
}
