using System.Globalization;
using System.Text;

namespace Gravity.Sync.Targets.Sql;

/// <summary>Reading and clearing the synced events queued in <see cref="SystemTables.Exports"/>.</summary>
internal sealed partial class SqlTargetWriter : IExportQueueStore
{
    public async Task<(long Length, DateTimeOffset? Oldest)> MeasureExportsAsync(string exporter, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(exporter);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*), MIN(queued_at) FROM {dialect.Quote(SystemTables.Exports)} WHERE exporter = @exporter";
        AddParameter(command, "@exporter", exporter);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return (ToLong(reader.GetValue(0)), reader.IsDBNull(1) ? null : DateTimeOffset.FromUnixTimeMilliseconds(ToLong(reader.GetValue(1))));
    }

    public async Task<IReadOnlyList<ExportEntry>> ReadExportsAsync(string exporter, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(exporter);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Built from constants and an integer; the exporter name travels as a parameter.
        command.CommandText = $"SELECT {SqlTargetTransaction.ExportColumns} FROM {dialect.Quote(SystemTables.Exports)} WHERE exporter = @exporter ORDER BY position, source, op_index LIMIT {maxCount.ToString(CultureInfo.InvariantCulture)}";
#pragma warning restore CA2100
        AddParameter(command, "@exporter", exporter);
        var result = new List<ExportEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(new ExportEntry
            {
                Exporter = reader.GetString(0),
                Position = ToLong(reader.GetValue(1)),
                Source = reader.GetString(2),
                OpIndex = ToInt(reader.GetValue(3)),
                EventId = reader.GetString(4),
                EventName = reader.GetString(5),
                Table = reader.GetString(6),
                Key = reader.GetString(7),
                TraceParent = reader.IsDBNull(8) ? null : reader.GetString(8),
                TraceState = reader.IsDBNull(9) ? null : reader.GetString(9),
                QueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(ToLong(reader.GetValue(10))),
            });
        }

        return result;
    }

    public async Task RemoveExportsAsync(IReadOnlyList<ExportEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var group in entries.GroupBy(e => e.Exporter, StringComparer.Ordinal))
        {
            foreach (var slice in group.Chunk(100))
            {
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var sql = new StringBuilder("DELETE FROM ").Append(dialect.Quote(SystemTables.Exports)).Append(" WHERE exporter = @p0 AND (");
                AddParameter(command, "@p0", group.Key);
                for (var i = 0; i < slice.Length; i++)
                {
                    var n = 1 + (i * 3);
                    sql.Append(i == 0 ? "(" : " OR (")
                        .Append("position = @p").Append(n.ToString(CultureInfo.InvariantCulture))
                        .Append(" AND source = @p").Append((n + 1).ToString(CultureInfo.InvariantCulture))
                        .Append(" AND op_index = @p").Append((n + 2).ToString(CultureInfo.InvariantCulture)).Append(')');
                    AddParameter(command, "@p" + n.ToString(CultureInfo.InvariantCulture), slice[i].Position);
                    AddParameter(command, "@p" + (n + 1).ToString(CultureInfo.InvariantCulture), slice[i].Source);
                    AddParameter(command, "@p" + (n + 2).ToString(CultureInfo.InvariantCulture), slice[i].OpIndex);
                }

#pragma warning disable CA2100 // Built from constants; every value travels as a parameter.
                command.CommandText = sql.Append(')').ToString();
#pragma warning restore CA2100
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
