using Gravity.Sync.Targets;

namespace Gravity.Sync.Snapshots;

/// <summary>What a database being filled asks a <see cref="IGravitySnapshotSource"/> for.</summary>
public sealed class GravitySnapshotRequest
{
    /// <summary>Gets the name of the database being filled.</summary>
    public required string Database { get; init; }

    /// <summary>Gets the tables its rules write, as they exist in it.</summary>
    public required IReadOnlyList<TableSchema> Tables { get; init; }

    /// <summary>Gets the source names it reads now (one, or one per partition this instance reads).</summary>
    public required IReadOnlyList<string> Sources { get; init; }
}
