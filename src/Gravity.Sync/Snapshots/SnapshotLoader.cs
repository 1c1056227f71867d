using System.Diagnostics;
using System.Globalization;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Engine;
using Gravity.Sync.Hosting;
using Gravity.Sync.Operations;
using Gravity.Sync.Targets;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Snapshots;

/// <summary>
/// Fills one database from a snapshot. First one transaction empties its tables, checkpoints and parked events and
/// sets the loading marker; then the rows are committed in batches, each with the position that wrote it; a last
/// transaction copies the parked events, writes every partition's checkpoint at the snapshot's position and removes
/// the marker. A crash before that leaves the marker, and the load starts over before any event is applied; the
/// database's pipelines then resume after the snapshot's positions, and the rows' position guards make the events the
/// snapshot already held harmless.
/// </summary>
internal sealed class SnapshotLoader(DatabaseTarget target, GravitySyncOptions options, TimeProvider clock, ILogger logger, SyncInstruments instruments)
{
    private SnapshotProgress? _progress;
    private SnapshotLoaded? _lastLoaded;

    /// <summary>Gets the load in progress, or the last one that failed (the database stays incomplete until a load succeeds).</summary>
    public SnapshotProgress? Progress => Volatile.Read(ref _progress);

    /// <summary>Gets the last load this instance completed since it started, or <see langword="null"/>.</summary>
    public SnapshotLoaded? LastLoaded => Volatile.Read(ref _lastLoaded);

    public async Task<SnapshotResult> LoadAsync(string from, IGravitySnapshotSource source, IReadOnlyList<string> sources, string reason, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var startedAt = clock.GetUtcNow();
        var database = new KeyValuePair<string, object?>(GravitySyncTelemetry.DatabaseAttribute, target.Name);
        using var activity = SyncInstruments.ActivitySource.StartActivity("gravity.sync.snapshot", ActivityKind.Internal);
        activity?.SetTag(GravitySyncTelemetry.DatabaseAttribute, target.Name);
        activity?.SetTag(GravitySyncTelemetry.SnapshotOriginAttribute, from);
        logger.SnapshotLoadStarting(target.Name, from, reason);
        var previous = Progress;
        Volatile.Write(ref _progress, new SnapshotProgress(from, startedAt, 0));
        var begun = false;
        long rows = 0;
        try
        {
            var tables = target.Tables.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
            await CommitAsync((t, token) => t.BeginSnapshotLoadAsync(new SnapshotMarker(from, startedAt, 0), tables, token), cancellationToken).ConfigureAwait(false);
            begun = true;

            var snapshot = await source.OpenAsync(new GravitySnapshotRequest { Database = target.Name, Tables = tables, Sources = sources }, cancellationToken).ConfigureAwait(false);
            await using (snapshot.ConfigureAwait(false))
            {
                var positions = new Dictionary<string, long>(snapshot.Positions, StringComparer.Ordinal);
                foreach (var table in tables)
                {
                    var loaded = await LoadTableAsync(snapshot, table, from, startedAt, rows, cancellationToken).ConfigureAwait(false);
                    rows += loaded;
                    logger.SnapshotTableLoaded(target.Name, table.Name, loaded, from);
                }

                var parked = new List<ParkedEntry>();
                foreach (var name in positions.Keys)
                {
                    await foreach (var entry in snapshot.ReadParkedAsync(name, cancellationToken).ConfigureAwait(false))
                    {
                        parked.Add(Reindex(entry));
                    }
                }

                await CommitAsync(
                    async (t, token) =>
                    {
                        if (parked.Count > 0)
                        {
                            await t.ParkAsync(parked, token).ConfigureAwait(false);
                        }

                        foreach (var (name, position) in positions)
                        {
                            for (var p = 0; p < target.Partitions; p++)
                            {
                                await t.SetCheckpointAsync(name, new CheckpointEntry(p, target.Partitions, position), token).ConfigureAwait(false);
                            }
                        }

                        await t.EndSnapshotLoadAsync(token).ConfigureAwait(false);
                    },
                    cancellationToken).ConfigureAwait(false);

                var duration = clock.GetElapsedTime(started);
                instruments.SnapshotDuration.Record(duration.TotalSeconds, database);
                activity?.SetTag("gravity.snapshot.rows", rows);
                logger.SnapshotLoaded(target.Name, rows, from, duration, Describe(positions));
                Volatile.Write(ref _lastLoaded, new SnapshotLoaded(from, clock.GetUtcNow(), rows, duration));
                Volatile.Write(ref _progress, null);
                return new SnapshotResult(target.Name, from, rows, positions, duration);
            }
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);

            // Before the database was emptied nothing changed: it keeps what it had. After, it stays marked as loading.
            Volatile.Write(ref _progress, begun ? Progress : previous);
            if (begun)
            {
                logger.SnapshotLoadFailed(ex, target.Name, from, rows);
            }

            throw;
        }
    }

    private async Task<long> LoadTableAsync(IGravitySnapshot snapshot, TableSchema table, string from, DateTimeOffset startedAt, long before, CancellationToken cancellationToken)
    {
        var batchSize = options.MaxBatchRows;
        var shape = "snapshot:" + table.Name;
        var keyIndexes = table.KeyColumns.Select(k => table.Columns.ToList().IndexOf(k)).ToArray();
        var batch = new Dictionary<string, RowChange>(StringComparer.Ordinal);
        long loaded = 0;
        await foreach (var row in snapshot.ReadRowsAsync(table, cancellationToken).ConfigureAwait(false))
        {
            var (key, change) = ToChange(table, keyIndexes, row, shape, from);

            // One statement may not touch a key twice; of two rows with one key, the newer one wins (as the guard would decide).
            if (!batch.TryGetValue(key, out var existing) || existing.Position <= change.Position)
            {
                batch[key] = change;
            }

            if (batch.Count >= batchSize)
            {
                loaded += await CommitRowsAsync(table, [.. batch.Values], from, startedAt, before + loaded, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        if (batch.Count > 0)
        {
            loaded += await CommitRowsAsync(table, [.. batch.Values], from, startedAt, before + loaded, cancellationToken).ConfigureAwait(false);
        }

        return loaded;
    }

    private async Task<int> CommitRowsAsync(TableSchema table, List<RowChange> changes, string from, DateTimeOffset startedAt, long before, CancellationToken cancellationToken)
    {
        var total = before + changes.Count;
        await CommitAsync(
            async (t, token) =>
            {
                await t.ApplyAsync(changes, token).ConfigureAwait(false);
                await t.UpdateSnapshotMarkerAsync(total, token).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
        instruments.SnapshotRows.Add(
            changes.Count,
            new KeyValuePair<string, object?>(GravitySyncTelemetry.DatabaseAttribute, target.Name),
            new KeyValuePair<string, object?>(GravitySyncTelemetry.TableAttribute, table.Name));
        Volatile.Write(ref _progress, new SnapshotProgress(from, startedAt, total));
        return changes.Count;
    }

    private static (string Key, RowChange Change) ToChange(TableSchema table, int[] keyIndexes, GravitySnapshotRow row, string shape, string from)
    {
        var values = new object?[table.Columns.Count];
        for (var i = 0; i < values.Length; i++)
        {
            var column = table.Columns[i];
            row.Values.TryGetValue(column.Name, out var raw);
            try
            {
                values[i] = SnapshotValueConverter.Convert(raw, column);
            }
            catch (FormatException ex)
            {
                throw new InvalidOperationException($"The snapshot of \"{from}\" gave table \"{table.Name}\" a value its column \"{column.Name}\" cannot hold: {ex.Message}", ex);
            }
        }

        var key = new object?[keyIndexes.Length];
        for (var k = 0; k < key.Length; k++)
        {
            key[k] = values[keyIndexes[k]] ?? throw new InvalidOperationException($"The snapshot of \"{from}\" gave table \"{table.Name}\" a row without its key column \"{table.Columns[keyIndexes[k]].Name}\".");
        }

        return (KeyText.From(key), new RowChange
        {
            Table = table,
            Kind = RowChangeKind.Upsert,
            Position = row.Position,
            Columns = table.Columns,
            Values = values,
            Shape = shape,
        });
    }

    /// <summary>
    /// A parked entry is identified by the index of its row change among the event's changes for the database; the
    /// origin may write other tables, so the index is taken again from this database's own mapping of the event.
    /// </summary>
    private ParkedEntry Reindex(ParkedEntry entry)
    {
        if (entry.Key is null)
        {
            return entry;
        }

        var op = target.Mapper.Map(PartitionWorker.ToEvent(entry)).FirstOrDefault(o => o.Table == entry.Table && o.Key == entry.Key);
        return op is null || op.OpIndex == entry.OpIndex ? entry : new ParkedEntry
        {
            Source = entry.Source,
            Position = entry.Position,
            OpIndex = op.OpIndex,
            Table = entry.Table,
            Key = entry.Key,
            EventId = entry.EventId,
            EventName = entry.EventName,
            EventKey = entry.EventKey,
            Payload = entry.Payload,
            TraceParent = entry.TraceParent,
            TraceState = entry.TraceState,
            EventTimestamp = entry.EventTimestamp,
            Reason = entry.Reason,
            ParkedAt = entry.ParkedAt,
            Attempts = entry.Attempts,
        };
    }

    /// <summary>Runs one load transaction, retrying transient failures (each step can be repeated: upserts are guarded).</summary>
    private async Task CommitAsync(Func<ISnapshotLoadTransaction, CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var transaction = await target.Writer.BeginAsync(cancellationToken).ConfigureAwait(false);
                await using (transaction.ConfigureAwait(false))
                {
                    var load = transaction as ISnapshotLoadTransaction
                        ?? throw new InvalidOperationException($"The writer of database \"{target.Name}\" cannot be filled from a snapshot.");
                    await work(load, cancellationToken).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
            }
            catch (Exception ex) when (target.Writer.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(Backoff.Delay(attempt, options.RetryBaseDelay, options.RetryMaxDelay), clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static string Describe(Dictionary<string, long> positions) =>
        positions.Count == 0 ? "the beginning of every source" : string.Join(", ", positions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}@{p.Value}")));
}
