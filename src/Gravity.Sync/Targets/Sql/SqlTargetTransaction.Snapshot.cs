using Gravity.Sync.Snapshots;

namespace Gravity.Sync.Targets.Sql;

/// <summary>The bookkeeping of a snapshot load: emptying the database with the marker set, progress, and the end.</summary>
internal sealed partial class SqlTargetTransaction : ISnapshotLoadTransaction
{
    public async Task BeginSnapshotLoadAsync(SnapshotMarker marker, IEnumerable<TableSchema> tables, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(marker);
        ArgumentNullException.ThrowIfNull(tables);
        foreach (var table in tables)
        {
            await RunAsync($"DELETE FROM {dialect.Quote(table.Name)}", [], cancellationToken).ConfigureAwait(false);
        }

        await RunAsync($"DELETE FROM {dialect.Quote(SystemTables.Checkpoints)}", [], cancellationToken).ConfigureAwait(false);
        await RunAsync($"DELETE FROM {dialect.Quote(SystemTables.Parked)}", [], cancellationToken).ConfigureAwait(false);
        await RunAsync($"DELETE FROM {dialect.Quote(SystemTables.Snapshot)}", [], cancellationToken).ConfigureAwait(false);
        await RunAsync(
            $"INSERT INTO {dialect.Quote(SystemTables.Snapshot)} (id, origin, started_at, rows_loaded) VALUES (1, @p0, @p1, 0)",
            [marker.From, marker.StartedAt.ToUnixTimeMilliseconds()],
            cancellationToken).ConfigureAwait(false);
    }

    public Task UpdateSnapshotMarkerAsync(long rowsLoaded, CancellationToken cancellationToken) =>
        RunAsync($"UPDATE {dialect.Quote(SystemTables.Snapshot)} SET rows_loaded = @p0 WHERE id = 1", [rowsLoaded], cancellationToken);

    public Task EndSnapshotLoadAsync(CancellationToken cancellationToken) =>
        RunAsync($"DELETE FROM {dialect.Quote(SystemTables.Snapshot)}", [], cancellationToken);
}
