namespace Gravity.Sync.Snapshots;

/// <summary>Another database the synchronizer writes, read as a snapshot.</summary>
internal sealed class DatabaseSnapshotSource(string database, ISnapshotStore store) : IGravitySnapshotSource
{
    public string Name => database;

    public Task<IGravitySnapshot> OpenAsync(GravitySnapshotRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return store.OpenSnapshotAsync(request.Database, cancellationToken);
    }
}
