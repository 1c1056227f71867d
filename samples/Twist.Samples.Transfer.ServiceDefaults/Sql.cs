using System.Data.Common;
using Twist.Participants;

namespace Twist.Samples.Transfer;

/// <summary>Small ADO.NET helpers; inside a handler they enlist in the guard's transaction (<see cref="TccContext.Transaction"/>).</summary>
public static class Sql
{
    /// <summary>Runs a statement in the handler's transaction: the business change commits with the guard's row, or not at all.</summary>
    /// <param name="context">The handler's context.</param>
    /// <param name="sql">The statement, with <c>$name</c> parameters; <c>$tid</c> is the transaction id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <param name="parameters">The other parameters.</param>
    /// <returns>The number of rows changed.</returns>
    public static Task<int> ExecuteAsync(TccContext context, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ExecuteAsync(context.Connection!, context.Transaction, sql, cancellationToken, [("$tid", context.Tid), .. parameters]);
    }

    /// <summary>Reads one number in the handler's transaction, or <see langword="null"/> when there is no row.</summary>
    /// <param name="context">The handler's context.</param>
    /// <param name="sql">The query; <c>$tid</c> is the transaction id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <param name="parameters">The other parameters.</param>
    /// <returns>The first column of the first row.</returns>
    public static Task<long?> ScalarAsync(TccContext context, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ScalarAsync(context.Connection!, context.Transaction, sql, cancellationToken, [("$tid", context.Tid), .. parameters]);
    }

    /// <summary>Runs a statement.</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The transaction to enlist in, if any.</param>
    /// <param name="sql">The statement, with <c>$name</c> parameters.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <param name="parameters">The parameters.</param>
    /// <returns>The number of rows changed.</returns>
    public static async Task<int> ExecuteAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Reads one number, or <see langword="null"/> when there is no row (or it is NULL).</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="transaction">The transaction to enlist in, if any.</param>
    /// <param name="sql">The query.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <param name="parameters">The parameters.</param>
    /// <returns>The first column of the first row.</returns>
    public static async Task<long?> ScalarAsync(
        DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken) is long value ? value : null;
    }

    /// <summary>Runs a statement synchronously, for schema creation at start-up.</summary>
    /// <param name="transaction">The transaction.</param>
    /// <param name="sql">The statement.</param>
    /// <param name="parameters">The parameters.</param>
    public static void Execute(DbTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        using var command = Command(transaction.Connection!, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
