using Gravity.Sync.Targets;

namespace Gravity.Sync.Snapshots;

/// <summary>
/// What a target writer must do for snapshots: be read as a consistent snapshot (as an origin), and keep the marker of
/// a load in progress (as a database being filled). The SQL writer does both; a writer without it cannot take part.
/// </summary>
internal interface ISnapshotStore
{
    /// <summary>Reads the marker of an unfinished load, or <see langword="null"/>.</summary>
    Task<SnapshotMarker?> ReadSnapshotMarkerAsync(CancellationToken cancellationToken);

    /// <summary>Tells whether the database holds a checkpoint of any source, i.e. whether it was ever synchronized.</summary>
    Task<bool> HasCheckpointsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Takes the database's snapshot-load lock, waiting while another synchronizer holds it (in this process, or with
    /// a server database in any process); <paramref name="waiting"/> is called once when the wait begins. Dispose the
    /// result to release it; a holder that crashes releases it with its connection.
    /// </summary>
    Task<IAsyncDisposable> LockSnapshotLoadAsync(Action waiting, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a snapshot of the database's tables: rows, checkpoints and parked events read in one transaction. The
    /// position of each source is the lowest checkpoint of its partitions.
    /// </summary>
    /// <exception cref="InvalidOperationException">The database is itself being filled from a snapshot.</exception>
    Task<IGravitySnapshot> OpenSnapshotAsync(string database, CancellationToken cancellationToken);
}

/// <summary>The bookkeeping a snapshot load does in a target transaction.</summary>
internal interface ISnapshotLoadTransaction : ITargetTransaction
{
    /// <summary>Empties the tables, the checkpoints and the parked events, and stores the marker.</summary>
    Task BeginSnapshotLoadAsync(SnapshotMarker marker, IEnumerable<TableSchema> tables, CancellationToken cancellationToken);

    /// <summary>Records progress in the marker.</summary>
    Task UpdateSnapshotMarkerAsync(long rowsLoaded, CancellationToken cancellationToken);

    /// <summary>Removes the marker: the tables are complete.</summary>
    Task EndSnapshotLoadAsync(CancellationToken cancellationToken);
}
