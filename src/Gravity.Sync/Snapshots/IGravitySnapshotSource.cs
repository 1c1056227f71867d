namespace Gravity.Sync.Snapshots;

/// <summary>
/// Something a new or reset database can be filled from instead of replaying the source from its beginning: the
/// current rows of the database's tables, with the source positions they reflect. Another database the synchronizer
/// writes with the same rules is one (name it in <c>Gravity:Sync:Databases:&lt;name&gt;:SnapshotFrom</c>); register
/// others, such as a query against the write model, with <c>AddSnapshotSource</c>.
/// </summary>
public interface IGravitySnapshotSource
{
    /// <summary>Gets the name <c>SnapshotFrom</c> and the operator API refer to; it must differ from every database name.</summary>
    string Name { get; }

    /// <summary>Opens a consistent snapshot: the rows and the positions must be read as of one moment.</summary>
    /// <param name="request">The database to fill, its tables and the sources it reads.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The snapshot; the loader disposes it when the load ends.</returns>
    Task<IGravitySnapshot> OpenAsync(GravitySnapshotRequest request, CancellationToken cancellationToken);
}
