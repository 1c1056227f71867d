namespace Rosen.Collector.Storage;

/// <summary>What Gravity.Sync's apply spans (<c>gravity.sync.apply</c>) say about one target database.</summary>
/// <param name="Database">The target database (attribute <c>gravity.database</c>).</param>
/// <param name="Batches">How many batches were applied in the window.</param>
/// <param name="Events">How many events those batches held (attribute <c>messaging.batch.message_count</c>).</param>
/// <param name="FailedBatches">How many batches failed.</param>
/// <param name="LastApplied">When the latest batch ended.</param>
public sealed record SyncActivity(string Database, int Batches, long Events, int FailedBatches, DateTimeOffset LastApplied);
