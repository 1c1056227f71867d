using System.Data.Common;
using Twist.Participants;

namespace Twist.Docs.Snippets;

public sealed record DebitRequest(string Account, long Amount);

public sealed record Reservation(string Account, long Amount);

#region snippet: participant
[TccParticipant("wallet-debit")]
public sealed class WalletDebit
{
    [Try]
    public async Task<Reservation> ReserveAsync(DebitRequest request, TccContext context, CancellationToken cancellationToken)
    {
        // Runs inside the guard's local transaction: the hold and the guard row commit together.
        var held = await Sql.ExecuteAsync(context, "UPDATE wallet SET held = held + @amount WHERE account = @account AND balance - held >= @amount", request, cancellationToken);
        if (held == 0)
        {
            throw new TccRejectedException(409, $"{request.Account} cannot cover {request.Amount}.");
        }

        await Sql.ExecuteAsync(context, "INSERT INTO holds (tid, account, amount) VALUES (@tid, @account, @amount)", request, cancellationToken);
        return new Reservation(request.Account, request.Amount);
    }

    [Confirm]
    public Task CommitAsync(TccContext context, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(context, "UPDATE wallet SET balance = balance - h.amount, held = held - h.amount FROM holds h WHERE h.tid = @tid AND wallet.account = h.account", null, cancellationToken);

    [Cancel]
    public Task ReleaseAsync(TccContext context, CancellationToken cancellationToken) =>
        Sql.ExecuteAsync(context, "UPDATE wallet SET held = held - h.amount FROM holds h WHERE h.tid = @tid AND wallet.account = h.account", null, cancellationToken);
}
#endregion

internal static class Sql
{
    public static async Task<int> ExecuteAsync(TccContext context, string sql, DebitRequest? request, CancellationToken cancellationToken)
    {
        await using DbCommand command = context.Connection!.CreateCommand();
        command.Transaction = context.Transaction; // enlist in the guard's transaction
        command.CommandText = sql;
        Add(command, "@tid", context.Tid);
        if (request is not null)
        {
            Add(command, "@account", request.Account);
            Add(command, "@amount", request.Amount);
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

public static class ParticipantRegistrationSnippets
{
    public static void Register(WebApplicationBuilder builder, string coordinatorToken)
    {
        #region snippet: participant-registration
        builder.Services.AddTwistParticipants();              // generated from the [TccParticipant] classes
        builder.Services.AddTwistParticipantOptions(o => o.CoordinatorCredential.BearerToken = coordinatorToken)
            .UseSqliteGuard("Data Source=wallet.db");          // the guard lives in the participant's own database
        var app = builder.Build();
        app.MapTwistParticipants();                           // POST Try, PUT Confirm, DELETE Cancel
        #endregion
    }
}
