using System.Data.Common;
using System.Globalization;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Targets.Sql;

/// <summary>The ADO.NET target writer shared by every SQL database; a <see cref="GravitySqlDialect"/> supplies the differences.</summary>
internal sealed partial class SqlTargetWriter(GravitySqlDialect dialect, string database, string connectionString, TimeProvider timeProvider) : ITargetWriter
{
    /// <summary>The columns of <see cref="SystemTables.Parked"/>, in the order <see cref="ReadParkedEntry"/> reads them.</summary>
    internal const string ParkedColumns = "source, position, op_index, table_name, key_text, event_id, event_name, event_key, payload, trace_parent, trace_state, event_time, reason, parked_at, attempts";

    /// <summary>How many times <see cref="PrepareAsync"/> runs when the database fails it (see there).</summary>
    private const int PrepareAttempts = 5;

    public string Database { get; } = database;

    public int DefaultPartitions => dialect.DefaultPartitions;

    internal GravitySqlDialect Dialect => dialect;

    public async Task<IReadOnlyList<TableSchema>> PrepareAsync(IReadOnlyList<TableRequirement> tables, CancellationToken cancellationToken)
    {
        // Instances that start together on a new database race to create the same tables, and PostgreSQL does not
        // serialize CREATE TABLE IF NOT EXISTS: the loser fails on the catalogue's unique index (23505) although the
        // table now exists. Another pass finds the tables there; an error that is not that race fails again and is
        // reported. Rule errors (GravityRulesException) are not database errors and are reported at once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await PrepareOnceAsync(tables, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException) when (attempt < PrepareAttempts)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<IReadOnlyList<TableSchema>> PrepareOnceAsync(IReadOnlyList<TableRequirement> tables, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var statement in dialect.GetSystemTableStatements())
        {
            await ExecuteAsync(connection, null, statement, cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, null, SnapshotTableSql, cancellationToken).ConfigureAwait(false);

        var errors = new List<string>();
        var schemas = new List<TableSchema>();
        foreach (var table in tables)
        {
            var shape = await dialect.ReadTableAsync(connection, table.Name, cancellationToken).ConfigureAwait(false);
            if (shape is null)
            {
                if (table.MustExist)
                {
                    errors.Add($"Table \"{table.Name}\" does not exist in database \"{Database}\", and {table.Rules.First(r => r.IsPassThrough)} has no mapping to create it from; create the table (with a {Identifiers.PositionColumn} bigint column) or add a mapping.");
                    continue;
                }

                await ExecuteAsync(connection, null, CreateTableSql(table), cancellationToken).ConfigureAwait(false);
                shape = await dialect.ReadTableAsync(connection, table.Name, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"Table \"{table.Name}\" was created in database \"{Database}\" but cannot be read back from the catalogue.");
            }

            if (Check(table, shape, errors) is { } schema)
            {
                schemas.Add(schema);
            }
        }

        if (errors.Count > 0)
        {
            throw new GravityRulesException(errors);
        }

        return schemas;
    }

    public async Task<IReadOnlyList<CheckpointEntry>> ReadCheckpointsAsync(string source, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT partition_no, partitions, position FROM {dialect.Quote(SystemTables.Checkpoints)} WHERE source = @source";
        AddParameter(command, "@source", source);
        var result = new List<CheckpointEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new CheckpointEntry(ToInt(reader.GetValue(0)), ToInt(reader.GetValue(1)), ToLong(reader.GetValue(2))));
        }

        return result;
    }

    public async Task<IReadOnlyList<ParkedEntry>> ReadParkedAsync(string source, string? table, string? key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var sql = $"SELECT {ParkedColumns} FROM {dialect.Quote(SystemTables.Parked)} WHERE source = @source";
        AddParameter(command, "@source", source);
        if (table is not null)
        {
            sql += " AND table_name = @table";
            AddParameter(command, "@table", table);
        }

        if (key is not null)
        {
            sql += " AND key_text = @key";
            AddParameter(command, "@key", key);
        }

        command.CommandText = sql + " ORDER BY position, op_index";
        var result = new List<ParkedEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(ReadParkedEntry(reader));
        }

        return result;
    }

    /// <summary>Reads a parked entry from a row of <see cref="ParkedColumns"/>.</summary>
    internal static ParkedEntry ReadParkedEntry(DbDataReader reader) => new()
    {
        Source = reader.GetString(0),
        Position = ToLong(reader.GetValue(1)),
        OpIndex = ToInt(reader.GetValue(2)),
        Table = reader.GetString(3),
        Key = reader.IsDBNull(4) ? null : reader.GetString(4),
        EventId = reader.GetString(5),
        EventName = reader.GetString(6),
        EventKey = reader.IsDBNull(7) ? null : reader.GetString(7),
        Payload = Convert.FromBase64String(reader.GetString(8)),
        TraceParent = reader.IsDBNull(9) ? null : reader.GetString(9),
        TraceState = reader.IsDBNull(10) ? null : reader.GetString(10),
        EventTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(ToLong(reader.GetValue(11))),
        Reason = reader.GetString(12),
        ParkedAt = DateTimeOffset.FromUnixTimeMilliseconds(ToLong(reader.GetValue(13))),
        Attempts = ToInt(reader.GetValue(14)),
    };

    public async Task<ITargetTransaction> BeginAsync(CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new SqlTargetTransaction(dialect, connection, transaction, timeProvider);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public bool IsTransient(Exception exception) => dialect.IsTransient(exception);

    public string DescribeFailure(Exception exception) => dialect.DescribeFailure(exception);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    internal static void AddParameter(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    internal static long ToLong(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    internal static int ToInt(object value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);

    internal static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Built from validated identifiers and constants; values travel as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = dialect.CreateConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await dialect.OnOpenedAsync(connection, cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
