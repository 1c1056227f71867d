using System.Data.Common;
using Gravity.Sync.Rules;
using Gravity.Sync.Snapshots;

namespace Gravity.Sync.Targets.Sql;

/// <summary>Snapshots: reading this database as a consistent snapshot, and the marker of a load into it.</summary>
internal sealed partial class SqlTargetWriter : ISnapshotStore
{
    private string SnapshotTableSql =>
        $"CREATE TABLE IF NOT EXISTS {dialect.Quote(SystemTables.Snapshot)} (id INTEGER NOT NULL, origin {dialect.GetColumnType(ColumnType.String, isKey: true)} NOT NULL, " +
        $"started_at {dialect.GetColumnType(ColumnType.Integer, isKey: false)} NOT NULL, rows_loaded {dialect.GetColumnType(ColumnType.Integer, isKey: false)} NOT NULL, PRIMARY KEY (id)){dialect.TableOptions}";

    public async Task<SnapshotMarker?> ReadSnapshotMarkerAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadMarkerAsync(connection, null, cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> HasCheckpointsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {dialect.Quote(SystemTables.Checkpoints)}";
        return ToLong(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L) > 0;
    }

    public async Task<IGravitySnapshot> OpenSnapshotAsync(string database, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        DbTransaction? transaction = null;
        try
        {
            transaction = await dialect.BeginSnapshotReadAsync(connection, cancellationToken).ConfigureAwait(false);

            // The first read fixes the snapshot: the marker, the checkpoints, the rows and the parked entries below
            // all see the database as of this moment, while its pipelines keep committing beside it.
            if (await ReadMarkerAsync(connection, transaction, cancellationToken).ConfigureAwait(false) is { } marker)
            {
                throw new InvalidOperationException($"Database \"{Database}\" is itself being filled from a snapshot of \"{marker.From}\" (started {marker.StartedAt:u}), so \"{database}\" cannot be copied from it yet; it is tried again.");
            }

            var checkpoints = new List<(string Source, CheckpointEntry Entry)>();
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = $"SELECT source, partition_no, partitions, position FROM {dialect.Quote(SystemTables.Checkpoints)}";
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    checkpoints.Add((reader.GetString(0), new CheckpointEntry(ToInt(reader.GetValue(1)), ToInt(reader.GetValue(2)), ToLong(reader.GetValue(3)))));
                }
            }

            var positions = checkpoints.GroupBy(c => c.Source, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => SnapshotPositions.Floor([.. g.Select(c => c.Entry)]), StringComparer.Ordinal);
            return new SqlTargetSnapshot(dialect, connection, transaction, positions);
        }
        catch
        {
            if (transaction is not null)
            {
                await transaction.DisposeAsync().ConfigureAwait(false);
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task<SnapshotMarker?> ReadMarkerAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT origin, started_at, rows_loaded FROM {dialect.Quote(SystemTables.Snapshot)} WHERE id = 1";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false)
            ? new SnapshotMarker(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(ToLong(reader.GetValue(1))), ToLong(reader.GetValue(2)))
            : null;
    }
}
