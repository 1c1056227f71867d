namespace Gravity.Sync.Targets.Sql;

/// <summary>The bookkeeping tables Gravity keeps in every target database, beside the views.</summary>
internal static class SystemTables
{
    /// <summary>One row per source and partition: the position up to which the partition's rows are applied.</summary>
    public const string Checkpoints = "gravity_checkpoints";

    /// <summary>Events held back by key (or dead letters without one), with their payloads for replay.</summary>
    public const string Parked = "gravity_parked";

    /// <summary>Synced events waiting for their exporter, written with the rows they announce and removed once published.</summary>
    public const string Exports = "gravity_exports";

    /// <summary>At most one row, present while the database is being filled from a snapshot (so a crash mid-load reloads it).</summary>
    public const string Snapshot = "gravity_snapshot";
}
