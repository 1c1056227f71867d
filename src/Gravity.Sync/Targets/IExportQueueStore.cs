namespace Gravity.Sync.Targets;

/// <summary>A target writer that can count its queued synced events at once (the SQL writer); others are measured from the pages the drain reads.</summary>
internal interface IExportQueueStore
{
    /// <summary>Counts the synced events queued for <paramref name="exporter"/> and finds when the oldest was queued.</summary>
    Task<(long Length, DateTimeOffset? Oldest)> MeasureExportsAsync(string exporter, CancellationToken cancellationToken);
}
