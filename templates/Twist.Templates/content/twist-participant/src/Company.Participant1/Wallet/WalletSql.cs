using System.Data.Common;
using Twist.Participants;

namespace Company.Participant1.Wallet;

/// <summary>Runs SQL on the guard's connection, inside its transaction (<see cref="TccContext.Transaction"/>).</summary>
internal static class WalletSql
{
    public static async Task<int> ExecuteAsync(TccContext context, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using DbCommand command = context.Connection!.CreateCommand();
        command.Transaction = context.Transaction;
        command.CommandText = sql;
        Add(command, "@tid", context.Tid);
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
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
