using System.Data.Common;
using Twist.Participants;

namespace ConsumerApp;

public sealed record Grant(string User, int Points);

public sealed record Reservation(string User, int Points);

/// <summary>Grants points in two steps: Try books them as pending, Confirm makes them spendable, Cancel drops them.</summary>
[TccParticipant("points")]
public sealed class PointsGrant
{
    [Try]
    public async Task<Reservation> ReserveAsync(Grant request, TccContext context, CancellationToken cancellationToken)
    {
        await ExecuteAsync(context, "INSERT INTO pending (tid, user, points) VALUES (@tid, @user, @points)", request, cancellationToken);
        return new Reservation(request.User, request.Points);
    }

    [Confirm]
    public async Task GrantAsync(TccContext context, CancellationToken cancellationToken)
    {
        await ExecuteAsync(context, "INSERT INTO balance (user, points) SELECT user, points FROM pending WHERE tid = @tid ON CONFLICT (user) DO UPDATE SET points = balance.points + excluded.points", null, cancellationToken);
        await ExecuteAsync(context, "DELETE FROM pending WHERE tid = @tid", null, cancellationToken);
    }

    [Cancel]
    public Task ReleaseAsync(TccContext context, CancellationToken cancellationToken) =>
        ExecuteAsync(context, "DELETE FROM pending WHERE tid = @tid", null, cancellationToken);

    private static async Task ExecuteAsync(TccContext context, string sql, Grant? request, CancellationToken cancellationToken)
    {
        // The guard's connection and local transaction: the points and the guard row commit together.
        await using DbCommand command = context.Connection!.CreateCommand();
        command.Transaction = context.Transaction;
        command.CommandText = sql;
        Add(command, "@tid", context.Tid);
        if (request is not null)
        {
            Add(command, "@user", request.User);
            Add(command, "@points", request.Points);
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
