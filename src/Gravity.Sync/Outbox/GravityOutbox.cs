using System.Data.Common;
using Gravity.Sync.Events;

namespace Gravity.Sync.Outbox;

/// <summary>
/// The transactional outbox: records an event in the application's own database, in the same local transaction as
/// the business data, so the event exists if and only if the data change committed. A relay
/// (<c>AddSqliteOutboxRelay</c>) moves committed events into the event log.
/// </summary>
public static class GravityOutbox
{
    /// <summary>The outbox table's name.</summary>
    public const string TableName = "gravity_outbox";

    // Plain SQL with @-parameters: SQLite, Npgsql and MySqlConnector all accept it, so the same call works in any of them.
    private const string InsertSql = $"""
        INSERT INTO {TableName} (id, name, event_key, payload, trace_parent, trace_state, occurred_at)
        VALUES (@id, @name, @key, @payload, @traceParent, @traceState, @occurredAt)
        """;

    private const string SqliteCreateSql = $"""
        CREATE TABLE IF NOT EXISTS {TableName} (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL,
            name TEXT NOT NULL,
            event_key TEXT NULL,
            payload BLOB NOT NULL,
            trace_parent TEXT NULL,
            trace_state TEXT NULL,
            occurred_at INTEGER NULL
        )
        """;

    /// <summary>Creates the outbox table in a SQLite database if it does not exist.</summary>
    /// <param name="connection">An open connection to the application's SQLite database.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the table exists.</returns>
    /// <exception cref="NotSupportedException">The connection is not SQLite.</exception>
    public static async Task EnsureTableAsync(DbConnection connection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (connection is not Microsoft.Data.Sqlite.SqliteConnection)
        {
            throw new NotSupportedException($"GravityOutbox.EnsureTableAsync creates the table in SQLite only; for {connection.GetType().Name}, create table {TableName} with the columns listed in the Gravity.Sync README.");
        }

        await using var command = connection.CreateCommand();
        command.CommandText = SqliteCreateSql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records an event in the outbox, inside the caller's transaction. Nothing is visible until the caller commits.</summary>
    /// <param name="transaction">The transaction that also writes the business data.</param>
    /// <param name="gravityEvent">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the event is written (not yet committed).</returns>
    /// <exception cref="ArgumentException">The transaction has no connection (it has completed).</exception>
    public static async Task AppendAsync(DbTransaction transaction, GravityEventData gravityEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(gravityEvent);
        var connection = transaction.Connection ?? throw new ArgumentException("The transaction has completed; append the event before committing.", nameof(transaction));
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = InsertSql;
        Add(command, "@id", gravityEvent.Id);
        Add(command, "@name", gravityEvent.Name);
        Add(command, "@key", gravityEvent.Key);
        Add(command, "@payload", gravityEvent.Payload.ToArray());
        Add(command, "@traceParent", gravityEvent.TraceParent);
        Add(command, "@traceState", gravityEvent.TraceState);
        Add(command, "@occurredAt", gravityEvent.Timestamp?.ToUnixTimeMilliseconds());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
