using System.Data.Common;
using System.Globalization;
using System.Text;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Targets.Sql;

/// <summary>
/// One transaction on a SQL target. Row changes with the same table, kind and columns share statements (multi-row,
/// array-parameter or re-run single-row ones, as the dialect prefers); every upsert and delete is guarded by the row's
/// stored position, so applying an old event again is a no-op.
/// </summary>
internal sealed partial class SqlTargetTransaction(GravitySqlDialect dialect, DbConnection connection, DbTransaction transaction, TimeProvider timeProvider) : ITargetTransaction, IOrderedTargetTransaction
{
    private static readonly ColumnSchema PositionColumn = new(Identifiers.PositionColumn, ColumnType.Integer, string.Empty, false);

    // Row statements by shape and row count, created once per transaction and re-run with new values: a batch's
    // full-size chunks (on SQLite every row, on PostgreSQL every array statement) reuse one command.
    private readonly Dictionary<(string Shape, int Rows), DbCommand> _statements = [];
    private readonly Dictionary<(string Shape, int Rows), string> _sql = [];

    /// <summary>Gets a value indicating whether every row is its own statement (SQLite), run in the order given.</summary>
    public bool AppliesInOrder => dialect.MaxRowsPerStatement == 1 && !dialect.UsesArrayParameters;

    public async Task ApplyAsync(IReadOnlyList<RowChange> changes, CancellationToken cancellationToken)
    {
        if (AppliesInOrder)
        {
            await ApplyInOrderAsync(changes, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var rows in ByShape(changes))
        {
            var perRow = rows[0].Columns.Count + 1;
            var chunk = Math.Max(1, Math.Min(dialect.MaxRowsPerStatement, dialect.MaxParameters / perRow));
            for (var offset = 0; offset < rows.Count; offset += chunk)
            {
                await WriteAsync(rows, offset, Math.Min(chunk, rows.Count - offset), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public Task TruncateAsync(TableSchema table, long position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        return RunAsync($"DELETE FROM {dialect.Quote(table.Name)} WHERE {dialect.Quote(Identifiers.PositionColumn)} < @p0", [position], cancellationToken);
    }

    public async Task SaveAsync(string name, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await transaction.SaveAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public async Task RollbackToAsync(string name, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await transaction.RollbackAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public async Task ReleaseAsync(string name, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await transaction.ReleaseAsync(name, cancellationToken).ConfigureAwait(false);
    }

    public async Task ParkAsync(IReadOnlyList<ParkedEntry> entries, CancellationToken cancellationToken)
    {
        string[] columns = ["source", "position", "op_index", "table_name", "key_text", "event_id", "event_name", "event_key", "payload", "trace_parent", "trace_state", "event_time", "reason", "parked_at", "attempts"];
        foreach (var slice in entries.Chunk(100))
        {
            var sql = new StringBuilder("INSERT INTO ").Append(dialect.Quote(SystemTables.Parked)).Append(" (").AppendJoin(", ", columns).Append(") VALUES ");
            var values = new List<object?>(slice.Length * columns.Length);
            for (var row = 0; row < slice.Length; row++)
            {
                var e = slice[row];
                sql.Append(row == 0 ? "(" : ", (");
                for (var i = 0; i < columns.Length; i++)
                {
                    sql.Append(i == 0 ? string.Empty : ", ").Append("@p").Append((values.Count + i).ToString(CultureInfo.InvariantCulture));
                }

                sql.Append(')');
                values.AddRange([e.Source, e.Position, e.OpIndex, e.Table, e.Key, e.EventId, e.EventName, e.EventKey, Convert.ToBase64String(e.Payload.Span), e.TraceParent, e.TraceState, e.EventTimestamp.ToUnixTimeMilliseconds(), Truncate(e.Reason), e.ParkedAt.ToUnixTimeMilliseconds(), e.Attempts]);
            }

            dialect.AppendInsertIgnoreClause(sql, ["source", "position", "op_index"]);
            await RunAsync(sql.ToString(), values, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RemoveParkedAsync(IReadOnlyList<ParkedEntry> entries, CancellationToken cancellationToken)
    {
        foreach (var e in entries)
        {
            await RunAsync($"DELETE FROM {dialect.Quote(SystemTables.Parked)} WHERE source = @p0 AND position = @p1 AND op_index = @p2", [e.Source, e.Position, e.OpIndex], cancellationToken).ConfigureAwait(false);
        }
    }

    public Task UpdateParkedAsync(ParkedEntry entry, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return RunAsync(
            $"UPDATE {dialect.Quote(SystemTables.Parked)} SET reason = @p0, attempts = attempts + 1 WHERE source = @p1 AND position = @p2 AND op_index = @p3",
            [Truncate(reason), entry.Source, entry.Position, entry.OpIndex],
            cancellationToken);
    }

    public Task SetCheckpointAsync(string source, CheckpointEntry checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var sql = new StringBuilder("INSERT INTO ").Append(dialect.Quote(SystemTables.Checkpoints))
            .Append(" (source, partition_no, partitions, updated_at, position) VALUES (@p0, @p1, @p2, @p3, @p4)");
        dialect.AppendUpsertClause(sql, SystemTables.Checkpoints, ["source", "partition_no"], ["partitions", "updated_at", "position"], "position");
        object?[] values = [source, checkpoint.Partition, checkpoint.Partitions, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), checkpoint.Position];
        if (Defers)
        {
            Defer(sql.ToString(), values); // goes with the rows, just before the commit
            return Task.CompletedTask;
        }

        return RunAsync(sql.ToString(), values, cancellationToken);
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_deferred is { } deferred)
        {
            await deferred.DisposeAsync().ConfigureAwait(false); // never sent: the transaction rolls back
        }

        foreach (var command in _statements.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        await transaction.DisposeAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>The changes grouped by shape; without grouping when they all share one, as nearly every batch does.</summary>
    private static IEnumerable<List<RowChange>> ByShape(IReadOnlyList<RowChange> changes)
    {
        if (changes.Count == 0)
        {
            return [];
        }

        var shape = changes[0].Shape;
        var same = true;
        for (var i = 1; i < changes.Count && same; i++)
        {
            same = ReferenceEquals(changes[i].Shape, shape) || string.Equals(changes[i].Shape, shape, StringComparison.Ordinal);
        }

        return same
            ? [changes as List<RowChange> ?? [.. changes]]
            : changes.GroupBy(c => c.Shape, StringComparer.Ordinal).Select(g => g.ToList());
    }

    /// <summary>
    /// Runs one prepared single-row statement per change, in the given order, so several changes of one key may come
    /// in one call. The statement is looked up only when the shape changes: most batches have one shape throughout.
    /// </summary>
    private async Task ApplyInOrderAsync(IReadOnlyList<RowChange> changes, CancellationToken cancellationToken)
    {
        DbCommand? command = null;
        string? shape = null;
        for (var r = 0; r < changes.Count; r++)
        {
            var row = changes[r];
            if (command is null || !ReferenceEquals(row.Shape, shape))
            {
                command = Statement(row, 1);
                shape = row.Shape;
            }

            var parameters = command.Parameters;
            var columns = row.Columns;
            var values = row.Values;
            for (var i = 0; i < columns.Count; i++)
            {
                var value = values[i];
                parameters[i].Value = value is null ? DBNull.Value : dialect.ToDbValue(value, columns[i]);
            }

            parameters[columns.Count].Value = row.Position;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Gets the statement for a shape and row count, creating it on first use in this transaction; with array parameters the count does not matter.</summary>
    private DbCommand Statement(RowChange first, int count)
    {
        var arrays = dialect.UsesArrayParameters && first.Kind != RowChangeKind.Delete;
        var key = (first.Shape, arrays ? 0 : count); // an array statement's text does not depend on the row count
        if (!_statements.TryGetValue(key, out var command))
        {
            command = connection.CreateCommand();
            command.Transaction = transaction;
#pragma warning disable CA2100 // Built from validated identifiers and constants; every value travels as a parameter.
            command.CommandText = StatementSql(first, count);
#pragma warning restore CA2100
            var perRow = first.Columns.Count + 1;
            for (var i = 0; i < (arrays ? perRow : count * perRow); i++)
            {
                SqlTargetWriter.AddParameter(command, "@p" + i.ToString(CultureInfo.InvariantCulture), null);
            }

            _statements[key] = command;
        }

        return command;
    }

    /// <summary>Gets the text of the statement for a shape and row count, built once per transaction.</summary>
    private string StatementSql(RowChange first, int count)
    {
        var arrays = dialect.UsesArrayParameters && first.Kind != RowChangeKind.Delete;
        var key = (first.Shape, arrays ? 0 : count);
        if (!_sql.TryGetValue(key, out var sql))
        {
            sql = first.Kind == RowChangeKind.Delete ? DeleteSql(first, count) : InsertSql(first, arrays ? 0 : count);
            _sql[key] = sql;
        }

        return sql;
    }

    /// <summary>Writes rows [offset, offset + count) of one shape with one statement, reusing the statement built for that shape and size.</summary>
    private async Task WriteAsync(List<RowChange> rows, int offset, int count, CancellationToken cancellationToken)
    {
        var first = rows[offset];
        var arrays = dialect.UsesArrayParameters && first.Kind != RowChangeKind.Delete;
        var perRow = first.Columns.Count + 1;
        object?[] parameters;
        if (arrays)
        {
            parameters = new object?[perRow];
            var values = new object?[count];
            for (var i = 0; i < perRow; i++)
            {
                var column = i < first.Columns.Count ? first.Columns[i] : PositionColumn;
                for (var r = 0; r < count; r++)
                {
                    var row = rows[offset + r];
                    var value = i < first.Columns.Count ? row.Values[i] : row.Position;
                    values[r] = value is null ? null : dialect.ToDbValue(value, column);
                }

                parameters[i] = dialect.ToDbArray(column, values);
            }
        }
        else
        {
            parameters = new object?[count * perRow];
            var p = 0;
            for (var r = offset; r < offset + count; r++)
            {
                var row = rows[r];
                for (var i = 0; i < row.Columns.Count; i++)
                {
                    var value = row.Values[i];
                    parameters[p++] = value is null ? null : dialect.ToDbValue(value, row.Columns[i]);
                }

                parameters[p++] = row.Position;
            }
        }

        if (Defers)
        {
            Defer(StatementSql(first, count), parameters);
            return;
        }

        var command = Statement(first, count);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i] ?? DBNull.Value;
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A multi-row insert (insert-if-absent) or upsert guarded by the stored position; parameters go row by row, the
    /// position last. With <paramref name="rows"/> 0 the rows come from one array parameter per column instead.
    /// </summary>
    private string InsertSql(RowChange first, int rows)
    {
        var table = first.Table;
        var columns = first.Columns.Append(PositionColumn).ToList();
        var sql = new StringBuilder("INSERT INTO ").Append(dialect.Quote(table.Name)).Append(" (").AppendJoin(", ", columns.Select(c => dialect.Quote(c.Name))).Append(')');
        if (rows == 0)
        {
            dialect.AppendArrayRowSource(sql, columns);
        }

        sql.Append(rows == 0 ? string.Empty : " VALUES ");
        var p = 0;
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var i = 0; i < columns.Count; i++)
            {
                sql.Append(i == 0 ? string.Empty : ", ").Append(dialect.ParameterExpression("@p" + (p++).ToString(CultureInfo.InvariantCulture), columns[i]));
            }

            sql.Append(')');
        }

        var keys = table.KeyColumns.Select(k => k.Name).ToList();
        if (first.Kind == RowChangeKind.Insert)
        {
            dialect.AppendInsertIgnoreClause(sql, keys);
        }
        else
        {
            // The guard column goes last: MySQL evaluates assignments left to right, and the guard must still see the old position.
            var update = first.Columns.Where(c => !c.IsKey).Select(c => c.Name).Append(Identifiers.PositionColumn).ToList();
            dialect.AppendUpsertClause(sql, table.Name, keys, update, Identifiers.PositionColumn);
        }

        return sql.ToString();
    }

    /// <summary>A multi-row delete by key, each row guarded by its position; parameters go row by row, the position last.</summary>
    private string DeleteSql(RowChange first, int rows)
    {
        var sql = new StringBuilder("DELETE FROM ").Append(dialect.Quote(first.Table.Name)).Append(" WHERE ");
        var p = 0;
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : " OR (");
            foreach (var column in first.Columns)
            {
                sql.Append(dialect.Quote(column.Name)).Append(" = ").Append(dialect.ParameterExpression("@p" + (p++).ToString(CultureInfo.InvariantCulture), column)).Append(" AND ");
            }

            // Only a row written by this event or an older one is deleted; a newer row stays.
            sql.Append(dialect.Quote(Identifiers.PositionColumn)).Append(" <= @p").Append((p++).ToString(CultureInfo.InvariantCulture)).Append(')');
        }

        return sql.ToString();
    }

    private async Task RunAsync(string sql, IReadOnlyList<object?> values, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Built from validated identifiers and constants; every value travels as a parameter.
        command.CommandText = sql;
#pragma warning restore CA2100
        for (var i = 0; i < values.Count; i++)
        {
            SqlTargetWriter.AddParameter(command, "@p" + i.ToString(CultureInfo.InvariantCulture), values[i]);
        }

        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Truncate(string reason) => reason.Length <= 2000 ? reason : reason[..2000];
}
