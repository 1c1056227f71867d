using System.Data.Common;
using System.Net.Sockets;
using System.Text;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Targets.Sql;

/// <summary>
/// The few SQL differences between databases that Gravity's generic ADO.NET writer needs: connections, type names,
/// catalogue queries and the upsert clause. The defaults follow PostgreSQL/SQLite (<c>ON CONFLICT</c>, double-quoted
/// identifiers); MySQL overrides what differs.
/// </summary>
public abstract class GravitySqlDialect
{
    /// <summary>Gets the database type this dialect serves, as written in databases.json.</summary>
    public abstract string DatabaseType { get; }

    /// <summary>Gets how many partitions (parallel writer transactions) suit the database by default.</summary>
    /// <value>The default value is 4.</value>
    public virtual int DefaultPartitions => 4;

    /// <summary>Gets the most parameters one statement may carry; larger batches are split.</summary>
    /// <value>The default value is 30 000.</value>
    public virtual int MaxParameters => 30_000;

    /// <summary>Gets the most rows one insert, upsert or delete statement carries; larger batches are split.</summary>
    /// <value>
    /// The default value is 1000: over a network, one multi-row statement per batch saves a round trip per row. An
    /// in-process database does better with 1, one prepared single-row statement re-run for every row of the batch.
    /// </value>
    public virtual int MaxRowsPerStatement => 1000;

    /// <summary>Builds a connection string from a databases.json entry (called only when it has no connection string).</summary>
    /// <param name="database">The database.</param>
    /// <returns>The connection string.</returns>
    public abstract string BuildConnectionString(DatabaseDefinition database);

    /// <summary>Creates an unopened connection.</summary>
    /// <param name="connectionString">The connection string.</param>
    /// <returns>The connection.</returns>
    public abstract DbConnection CreateConnection(string connectionString);

    /// <summary>Prepares a newly opened connection (session settings).</summary>
    /// <param name="connection">The open connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the connection is ready.</returns>
    public virtual Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Quotes an identifier. Rules only allow letters, digits and underscores, so no escaping is needed.</summary>
    /// <param name="identifier">The identifier.</param>
    /// <returns>The quoted identifier.</returns>
    public virtual string Quote(string identifier) => "\"" + identifier + "\"";

    /// <summary>Gets the type name used when Gravity creates a column.</summary>
    /// <param name="type">The logical type.</param>
    /// <param name="isKey">Whether the column is part of a key (MySQL cannot index unbounded text).</param>
    /// <returns>The database type name.</returns>
    public abstract string GetColumnType(ColumnType type, bool isKey);

    /// <summary>Maps a database type name from the catalogue to the logical type values are converted to.</summary>
    /// <param name="dbType">The database type name.</param>
    /// <returns>The logical type, or <see langword="null"/> when Gravity cannot write such a column.</returns>
    public abstract ColumnType? ParseColumnType(string dbType);

    /// <summary>Reads a table from the catalogue.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="table">The table name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The table, or <see langword="null"/> when it does not exist.</returns>
    public abstract Task<TableShape?> ReadTableAsync(DbConnection connection, string table, CancellationToken cancellationToken);

    /// <summary>Gets what follows the column list when Gravity creates a table (engine, character set).</summary>
    /// <value>The default value is empty.</value>
    public virtual string TableOptions => string.Empty;

    /// <summary>Describes a failure for a parked entry, in terms an operator can act on.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>The description.</returns>
    public virtual string DescribeFailure(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return $"{exception.GetType().Name}: {exception.Message}";
    }

    /// <summary>Gets the statements that create Gravity's bookkeeping tables when missing.</summary>
    /// <returns>The statements, run in order.</returns>
    public virtual IReadOnlyList<string> GetSystemTableStatements()
    {
        var key = GetColumnType(ColumnType.String, isKey: true);
        var text = GetColumnType(ColumnType.String, isKey: false);
        var big = GetColumnType(ColumnType.Integer, isKey: false);
        return
        [
            $"CREATE TABLE IF NOT EXISTS {Quote(SystemTables.Checkpoints)} (source {key} NOT NULL, partition_no INTEGER NOT NULL, partitions INTEGER NOT NULL, position {big} NOT NULL, updated_at {big} NOT NULL, PRIMARY KEY (source, partition_no))",
            $"CREATE TABLE IF NOT EXISTS {Quote(SystemTables.Parked)} (source {key} NOT NULL, position {big} NOT NULL, op_index INTEGER NOT NULL, table_name {key} NOT NULL, key_text {text} NULL, event_id {text} NOT NULL, event_name {text} NOT NULL, event_key {text} NULL, payload {text} NOT NULL, trace_parent {text} NULL, trace_state {text} NULL, event_time {big} NOT NULL, reason {text} NOT NULL, parked_at {big} NOT NULL, attempts INTEGER NOT NULL, PRIMARY KEY (source, position, op_index))",
            $"CREATE INDEX IF NOT EXISTS gravity_parked_by_key ON {Quote(SystemTables.Parked)} (source, table_name, key_text)",
            $"CREATE TABLE IF NOT EXISTS {Quote(SystemTables.Exports)} (exporter {key} NOT NULL, position {big} NOT NULL, source {key} NOT NULL, op_index INTEGER NOT NULL, event_id {text} NOT NULL, event_name {text} NOT NULL, table_name {text} NOT NULL, key_text {text} NOT NULL, trace_parent {text} NULL, trace_state {text} NULL, queued_at {big} NOT NULL, PRIMARY KEY (exporter, position, source, op_index))",
        ];
    }

    /// <summary>
    /// Begins the read-only transaction a snapshot is read in: every statement in it must see the database as of one
    /// moment (the views and the checkpoints together), while Gravity keeps writing beside it.
    /// </summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The transaction; the default is REPEATABLE READ, which is a snapshot in PostgreSQL and InnoDB.</returns>
    public virtual async Task<DbTransaction> BeginSnapshotReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gets a value indicating whether the database has a lock, owned by one connection's session, that lets a single
    /// synchronizer instance at a time fill it from a snapshot (<see cref="TryLockSnapshotLoadAsync"/>). Instances that
    /// share a source's partitions all start a new database's load; the lock makes one load it and the others wait.
    /// </summary>
    /// <value>
    /// The default value is <see langword="false"/>: loads are then single-writer among the synchronizers of one
    /// process only, which suits an embedded database (SQLite) that one process writes.
    /// </value>
    public virtual bool SupportsSnapshotLoadLock => false;

    /// <summary>
    /// Tries, without waiting, to take the snapshot-load lock of the connection's database (the same name for every
    /// Gravity instance that writes it). The lock belongs to the connection's session: Gravity opens the connection
    /// without pooling and closes it to release the lock, and a crashed holder's session ends and releases it too.
    /// </summary>
    /// <param name="connection">An open connection, used for nothing else while it holds the lock.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="true"/> when the lock is now held by this connection; <see langword="false"/> when another session holds it.</returns>
    /// <exception cref="NotSupportedException"><see cref="SupportsSnapshotLoadLock"/> is <see langword="false"/>.</exception>
    public virtual Task<bool> TryLockSnapshotLoadAsync(DbConnection connection, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} has no snapshot-load lock.");

    /// <summary>Appends the clause that turns a multi-row INSERT into an upsert.</summary>
    /// <param name="sql">The statement so far (<c>INSERT INTO t (...) VALUES (...), (...)</c>).</param>
    /// <param name="table">The table name.</param>
    /// <param name="keyColumns">The conflict key.</param>
    /// <param name="updateColumns">The columns to update on conflict (the guard column last).</param>
    /// <param name="guardColumn">When set, the update happens only if the incoming value of this column is at least the stored one.</param>
    public virtual void AppendUpsertClause(StringBuilder sql, string table, IReadOnlyList<string> keyColumns, IReadOnlyList<string> updateColumns, string? guardColumn)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(keyColumns);
        ArgumentNullException.ThrowIfNull(updateColumns);
        sql.Append(" ON CONFLICT (").AppendJoin(", ", keyColumns.Select(Quote)).Append(") DO UPDATE SET ");
        sql.AppendJoin(", ", updateColumns.Select(c => $"{Quote(c)} = excluded.{Quote(c)}"));
        if (guardColumn is not null)
        {
            sql.Append(" WHERE excluded.").Append(Quote(guardColumn)).Append(" >= ").Append(Quote(table)).Append('.').Append(Quote(guardColumn));
        }
    }

    /// <summary>Appends the clause that makes a multi-row INSERT skip rows whose key exists.</summary>
    /// <param name="sql">The statement so far.</param>
    /// <param name="keyColumns">The conflict key.</param>
    public virtual void AppendInsertIgnoreClause(StringBuilder sql, IReadOnlyList<string> keyColumns)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(keyColumns);
        sql.Append(" ON CONFLICT (").AppendJoin(", ", keyColumns.Select(Quote)).Append(") DO NOTHING");
    }

    /// <summary>Gets the SQL expression for a parameter written to a column (PostgreSQL casts text to jsonb here).</summary>
    /// <param name="parameterName">The parameter name, e.g. <c>@p3</c>.</param>
    /// <param name="column">The column.</param>
    /// <returns>The expression.</returns>
    public virtual string ParameterExpression(string parameterName, ColumnSchema column) => parameterName;

    /// <summary>
    /// Gets a value indicating whether inserts and upserts pass each column as one array parameter
    /// (<see cref="AppendArrayRowSource"/>, <see cref="ToDbArray"/>) instead of one parameter per value. The statement
    /// text then no longer depends on the row count, so one prepared statement serves every batch.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: multi-row <c>VALUES</c> lists.</value>
    public virtual bool UsesArrayParameters => false;

    /// <summary>Appends what follows an INSERT's column list when <see cref="UsesArrayParameters"/> is set: a query that turns the array parameters into rows.</summary>
    /// <param name="sql">The statement so far (<c>INSERT INTO t (a, b)</c>).</param>
    /// <param name="columns">The columns in insert order; parameter <c>@p{i}</c> holds the array of column <c>i</c>.</param>
    /// <exception cref="NotSupportedException">The dialect does not use array parameters.</exception>
    public virtual void AppendArrayRowSource(StringBuilder sql, IReadOnlyList<ColumnSchema> columns) =>
        throw new NotSupportedException($"{GetType().Name} does not use array parameters.");

    /// <summary>Packs one column's values of a batch into the array bound as its parameter when <see cref="UsesArrayParameters"/> is set.</summary>
    /// <param name="column">The column.</param>
    /// <param name="values">The values, already converted with <see cref="ToDbValue"/>; <see langword="null"/> is SQL NULL.</param>
    /// <returns>The parameter value.</returns>
    /// <exception cref="NotSupportedException">The dialect does not use array parameters.</exception>
    public virtual object ToDbArray(ColumnSchema column, IReadOnlyList<object?> values) =>
        throw new NotSupportedException($"{GetType().Name} does not use array parameters.");

    /// <summary>Converts a value (already of the column's logical type) to what the driver expects.</summary>
    /// <param name="value">The value: string, long, double, decimal, bool or a UTC <see cref="DateTimeOffset"/>.</param>
    /// <param name="column">The column.</param>
    /// <returns>The value to bind.</returns>
    public virtual object ToDbValue(object value, ColumnSchema column) => value;

    /// <summary>Tells whether a failure is transient: retry the batch as it is.</summary>
    /// <param name="exception">The failure.</param>
    /// <returns>Whether to retry.</returns>
    public virtual bool IsTransient(Exception exception) => exception switch
    {
        DbException db => db.IsTransient || db.InnerException is IOException or SocketException or TimeoutException,
        IOException or SocketException or TimeoutException => true,
        _ => false,
    };
}
