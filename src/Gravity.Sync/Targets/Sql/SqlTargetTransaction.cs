using System.Data.Common;
using System.Globalization;
using System.Text;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Targets.Sql;

/// <summary>
/// One transaction on a SQL target. Row changes with the same table, kind and columns share multi-row statements;
/// every upsert and delete is guarded by the row's stored position, so applying an old event again is a no-op.
/// </summary>
internal sealed class SqlTargetTransaction(GravitySqlDialect dialect, DbConnection connection, DbTransaction transaction, TimeProvider timeProvider) : ITargetTransaction
{
    private const int MaxRowsPerStatement = 1000;

    public async Task ApplyAsync(IReadOnlyList<RowChange> changes, CancellationToken cancellationToken)
    {
        foreach (var group in changes.GroupBy(c => c.Shape, StringComparer.Ordinal))
        {
            var rows = group.ToList();
            var first = rows[0];
            var perRow = first.Columns.Count + 1;
            var chunk = Math.Max(1, Math.Min(MaxRowsPerStatement, dialect.MaxParameters / perRow));
            for (var offset = 0; offset < rows.Count; offset += chunk)
            {
                var slice = rows.GetRange(offset, Math.Min(chunk, rows.Count - offset));
                if (first.Kind == RowChangeKind.Delete)
                {
                    await DeleteAsync(slice, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await InsertAsync(slice, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public Task TruncateAsync(TableSchema table, long position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        return RunAsync($"DELETE FROM {dialect.Quote(table.Name)} WHERE {dialect.Quote(Identifiers.PositionColumn)} < @p0", [position], cancellationToken);
    }

    public Task SaveAsync(string name, CancellationToken cancellationToken) => transaction.SaveAsync(name, cancellationToken);

    public Task RollbackToAsync(string name, CancellationToken cancellationToken) => transaction.RollbackAsync(name, cancellationToken);

    public Task ReleaseAsync(string name, CancellationToken cancellationToken) => transaction.ReleaseAsync(name, cancellationToken);

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
        return RunAsync(sql.ToString(), [source, checkpoint.Partition, checkpoint.Partitions, timeProvider.GetUtcNow().ToUnixTimeMilliseconds(), checkpoint.Position], cancellationToken);
    }

    public Task CommitAsync(CancellationToken cancellationToken) => transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task InsertAsync(List<RowChange> rows, CancellationToken cancellationToken)
    {
        var first = rows[0];
        var table = first.Table;
        var names = first.Columns.Select(c => c.Name).Append(Identifiers.PositionColumn).ToList();
        var sql = new StringBuilder("INSERT INTO ").Append(dialect.Quote(table.Name)).Append(" (").AppendJoin(", ", names.Select(dialect.Quote)).Append(") VALUES ");
        var values = new List<object?>(rows.Count * names.Count);
        var position = new ColumnSchema(Identifiers.PositionColumn, ColumnType.Integer, string.Empty, false);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            sql.Append(r == 0 ? "(" : ", (");
            for (var i = 0; i <= row.Columns.Count; i++)
            {
                var column = i < row.Columns.Count ? row.Columns[i] : position;
                var value = i < row.Columns.Count ? row.Values[i] : row.Position;
                sql.Append(i == 0 ? string.Empty : ", ").Append(dialect.ParameterExpression("@p" + values.Count.ToString(CultureInfo.InvariantCulture), column));
                values.Add(value is null ? null : dialect.ToDbValue(value, column));
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

        await RunAsync(sql.ToString(), values, cancellationToken).ConfigureAwait(false);
    }

    private async Task DeleteAsync(List<RowChange> rows, CancellationToken cancellationToken)
    {
        var table = rows[0].Table;
        var sql = new StringBuilder("DELETE FROM ").Append(dialect.Quote(table.Name)).Append(" WHERE ");
        var values = new List<object?>();
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            sql.Append(r == 0 ? "(" : " OR (");
            for (var i = 0; i < row.Columns.Count; i++)
            {
                sql.Append(dialect.Quote(row.Columns[i].Name)).Append(" = ").Append(dialect.ParameterExpression("@p" + values.Count.ToString(CultureInfo.InvariantCulture), row.Columns[i])).Append(" AND ");
                values.Add(dialect.ToDbValue(row.Values[i]!, row.Columns[i]));
            }

            // Only a row written by this event or an older one is deleted; a newer row stays.
            sql.Append(dialect.Quote(Identifiers.PositionColumn)).Append(" <= @p").Append(values.Count.ToString(CultureInfo.InvariantCulture)).Append(')');
            values.Add(row.Position);
        }

        await RunAsync(sql.ToString(), values, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(string sql, List<object?> values, CancellationToken cancellationToken)
    {
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
