using Gravity.Sync.Events;
using Gravity.Sync.Operations;
using Gravity.Sync.Targets;

namespace Gravity.Sync.Engine;

/// <summary>Operator commands; they run inside the partition's queue, so they never race the key's live events.</summary>
internal sealed partial class PartitionWorker
{
    public async Task<ReplayResult> ReplayAsync(string table, string key, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReplayOnceAsync(table, key, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (_context.Writer.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(_context.RetryDelay(attempt), _context.Clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public async Task<int> DiscardAsync(string table, string? key, CancellationToken cancellationToken)
    {
        var entries = (await _context.Writer.ReadParkedAsync(_context.Source, table, key, cancellationToken).ConfigureAwait(false))
            .Where(e => e.Key == key)
            .ToList();
        if (entries.Count > 0)
        {
            await using var transaction = await _context.Writer.BeginAsync(cancellationToken).ConfigureAwait(false);
            await transaction.RemoveParkedAsync(entries, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (key is not null)
        {
            _parked.Remove((table, key));
        }

        return entries.Count;
    }

    private async Task<ReplayResult> ReplayOnceAsync(string table, string key, CancellationToken cancellationToken)
    {
        var entries = await _context.Writer.ReadParkedAsync(_context.Source, table, key, cancellationToken).ConfigureAwait(false);
        var applied = new List<ParkedEntry>();
        var appliedOps = new List<MappedOp>();
        List<ExportEntry>? exports;
        string? failure = null;
        ParkedEntry? failed = null;
        await using (var transaction = await _context.Writer.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            // Entries of one event share a position; they are re-mapped with today's rules, so a fixed rule applies.
            foreach (var group in entries.GroupBy(e => e.Position))
            {
                var first = group.First();
                var ops = _context.Mapper.Map(ToEvent(first)).Where(o => o.Table == table && o.Key == key && !o.IsTruncate).ToList();
                failure = ops.Count == 0
                    ? $"the rules no longer map event {first.EventName} at position {first.Position} to table {table} key {key}; discard it instead"
                    : ops.FirstOrDefault(o => o.Error is not null)?.Error;
                if (failure is null)
                {
                    await transaction.SaveAsync(Savepoint, cancellationToken).ConfigureAwait(false);
                    try
                    {
                        foreach (var op in ops)
                        {
                            await transaction.ApplyAsync([op.Change!], cancellationToken).ConfigureAwait(false);
                        }

                        await transaction.ReleaseAsync(Savepoint, cancellationToken).ConfigureAwait(false);
                        applied.AddRange(group);
                        appliedOps.AddRange(ops);
                        continue;
                    }
                    catch (Exception ex) when (!_context.Writer.IsTransient(ex) && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
                    {
                        await transaction.RollbackToAsync(Savepoint, cancellationToken).ConfigureAwait(false);
                        await transaction.ReleaseAsync(Savepoint, cancellationToken).ConfigureAwait(false);
                        failure = _context.Writer.DescribeFailure(ex);
                    }
                }

                failed = first;
                break;
            }

            await transaction.RemoveParkedAsync(applied, cancellationToken).ConfigureAwait(false);

            // A replayed event is applied now: its synced events are queued with it, as for live events.
            exports = ExportDispatcher.Queue(_context.Source, appliedOps, _context.Clock.GetUtcNow());
            if (exports is not null)
            {
                await transaction.QueueExportsAsync(exports, cancellationToken).ConfigureAwait(false);
            }

            if (failed is not null)
            {
                await transaction.UpdateParkedAsync(failed, failure!, cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        if (failed is null)
        {
            _parked.Remove((table, key));
        }

        if (exports is not null)
        {
            _context.Exports.Committed(_context.Database, exports);
        }

        return new ReplayResult(applied.Count, entries.Count - applied.Count, failure);
    }

    internal static GravityEvent ToEvent(ParkedEntry entry) => new()
    {
        Id = entry.EventId,
        Name = entry.EventName,
        Key = entry.EventKey,
        Payload = entry.Payload,
        Position = entry.Position,
        Timestamp = entry.EventTimestamp,
        TraceParent = entry.TraceParent,
        TraceState = entry.TraceState,
    };
}
