using System.Data.Common;
using System.Globalization;
using System.Text;

namespace Gravity.Sync.Targets.Sql;

/// <summary>Queuing synced events in <see cref="SystemTables.Exports"/>, in the transaction of the rows they announce.</summary>
internal sealed partial class SqlTargetTransaction
{
    /// <summary>The columns of <see cref="SystemTables.Exports"/>, in the order <see cref="SqlTargetWriter.ReadExportsAsync"/> reads them.</summary>
    internal const string ExportColumns = "exporter, position, source, op_index, event_id, event_name, table_name, key_text, trace_parent, trace_state, queued_at";

    private const int ExportColumnCount = 11;

    public async Task QueueExportsAsync(IReadOnlyList<ExportEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        var chunk = Math.Min(100, dialect.MaxRowsPerStatement);
        for (var offset = 0; offset < entries.Count; offset += chunk)
        {
            var count = Math.Min(chunk, entries.Count - offset);
            var command = ExportStatement(count);
            var p = 0;
            for (var i = offset; i < offset + count; i++)
            {
                var e = entries[i];
                object?[] values = [e.Exporter, e.Position, e.Source, e.OpIndex, e.EventId, e.EventName, e.Table, e.Key, e.TraceParent, e.TraceState, e.QueuedAt.ToUnixTimeMilliseconds()];
                foreach (var value in values)
                {
                    command.Parameters[p++].Value = value ?? DBNull.Value;
                }
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The insert-if-absent of <paramref name="rows"/> entries, kept with the row statements for reuse within the transaction.</summary>
    private DbCommand ExportStatement(int rows)
    {
        if (_statements.TryGetValue((SystemTables.Exports, rows), out var command))
        {
            return command;
        }

        var sql = new StringBuilder("INSERT INTO ").Append(dialect.Quote(SystemTables.Exports)).Append(" (").Append(ExportColumns).Append(") VALUES ");
        for (var r = 0; r < rows; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var i = 0; i < ExportColumnCount; i++)
            {
                sql.Append(i == 0 ? "@p" : ", @p").Append(((r * ExportColumnCount) + i).ToString(CultureInfo.InvariantCulture));
            }

            sql.Append(')');
        }

        // A batch applied again after a restart with another partition count queues the same entries: keep the first.
        dialect.AppendInsertIgnoreClause(sql, ["exporter", "position", "source", "op_index"]);
        command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Built from constants; every value travels as a parameter.
        command.CommandText = sql.ToString();
#pragma warning restore CA2100
        for (var i = 0; i < rows * ExportColumnCount; i++)
        {
            SqlTargetWriter.AddParameter(command, "@p" + i.ToString(CultureInfo.InvariantCulture), null);
        }

        _statements[(SystemTables.Exports, rows)] = command;
        return command;
    }
}
