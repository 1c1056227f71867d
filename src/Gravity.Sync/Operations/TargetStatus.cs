namespace Gravity.Sync.Operations;

/// <summary>Where one database stands against the source.</summary>
/// <param name="Database">The database name.</param>
/// <param name="Position">The committed position: every event up to it is applied (or parked) in this database.</param>
/// <param name="HeadPosition">The source's newest position.</param>
/// <param name="ParkedKeys">How many keys are parked.</param>
/// <param name="Running">Whether the database's pipeline is running (it restarts by itself after a failure).</param>
public sealed record TargetStatus(string Database, long Position, long HeadPosition, int ParkedKeys, bool Running)
{
    /// <summary>Gets the source the positions belong to; a partitioned source (Kafka) has one status per database and partition.</summary>
    public string? Source { get; init; }

    /// <summary>Gets the snapshot load in progress, or <see langword="null"/>; while one runs the tables are incomplete.</summary>
    public SnapshotProgress? Snapshot { get; init; }

    /// <summary>Gets the last snapshot load this instance completed for the database since it started, or <see langword="null"/>.</summary>
    public SnapshotLoaded? LastSnapshot { get; init; }

    /// <summary>Gets the database's configured <c>SnapshotFrom</c> (where it is filled from when new), or <see langword="null"/>.</summary>
    public string? SnapshotFrom { get; init; }

    /// <summary>Gets a value indicating whether the database has applied everything the source holds.</summary>
    public bool CaughtUp => Snapshot is null && Position >= HeadPosition;
}
