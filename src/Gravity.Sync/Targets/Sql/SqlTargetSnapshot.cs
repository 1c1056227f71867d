using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using Gravity.Sync.Rules;
using Gravity.Sync.Snapshots;

namespace Gravity.Sync.Targets.Sql;

/// <summary>
/// A SQL database read as a snapshot, inside one read transaction: each source's position is the lowest checkpoint of
/// its partitions, and rows come with the positions that wrote them, so partitions that were ahead are harmless.
/// </summary>
internal sealed class SqlTargetSnapshot(GravitySqlDialect dialect, DbConnection connection, DbTransaction transaction, IReadOnlyDictionary<string, long> positions) : IGravitySnapshot
{
    public IReadOnlyDictionary<string, long> Positions => positions;

    public async IAsyncEnumerable<GravitySnapshotRow> ReadRowsAsync(TableSchema table, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sql = new StringBuilder("SELECT ")
            .AppendJoin(", ", table.Columns.Select(c => dialect.Quote(c.Name)).Append(dialect.Quote(Identifiers.PositionColumn)))
            .Append(" FROM ").Append(dialect.Quote(table.Name));
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
#pragma warning disable CA2100 // Built from the table's validated identifiers; there are no values.
        command.CommandText = sql.ToString();
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var count = table.Columns.Count;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var values = new Dictionary<string, object?>(count, StringComparer.Ordinal);
            for (var i = 0; i < count; i++)
            {
                values[table.Columns[i].Name] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            yield return new GravitySnapshotRow(values, SqlTargetWriter.ToLong(reader.GetValue(count)));
        }
    }

    public async IAsyncEnumerable<ParkedEntry> ReadParkedAsync(string source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (!positions.TryGetValue(source, out var position))
        {
            yield break;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {SqlTargetWriter.ParkedColumns} FROM {dialect.Quote(SystemTables.Parked)} WHERE source = @source AND position <= @position ORDER BY position, op_index";
        SqlTargetWriter.AddParameter(command, "@source", source);
        SqlTargetWriter.AddParameter(command, "@position", position);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return SqlTargetWriter.ReadParkedEntry(reader);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await transaction.DisposeAsync().ConfigureAwait(false);
        await connection.DisposeAsync().ConfigureAwait(false);
    }
}
