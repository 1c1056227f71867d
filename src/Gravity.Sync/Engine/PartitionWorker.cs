using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Targets;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Engine;

/// <summary>
/// Applies the row changes of one key-hash partition of one database, in source order. Each batch is one database
/// transaction holding the rows, the parked entries and the partition's checkpoint, so after a crash the partition
/// resumes exactly where its last commit left it.
/// </summary>
internal sealed partial class PartitionWorker
{
    private const string Savepoint = "gravity_row";

    private readonly TargetContext _context;
    private readonly Channel<PartitionItem> _channel;
    private readonly HashSet<(string Table, string Key)> _parked;
    private long _checkpoint;
    private long _lastCommit;

    public PartitionWorker(TargetContext context, int index, long checkpoint, IEnumerable<(string Table, string Key)> parked)
    {
        _context = context;
        Index = index;
        _checkpoint = checkpoint;
        _parked = [.. parked];
        // An item holds up to one read of events, so the queue bound in events becomes a bound in reads.
        var capacity = Math.Max(2, context.Options.PartitionQueueCapacity / Math.Max(1, context.Options.ReadBatchSize));
        _channel = Channel.CreateBounded<PartitionItem>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = false });
        _lastCommit = context.Clock.GetTimestamp();
    }

    public int Index { get; }

    /// <summary>Gets the committed checkpoint: every op of this partition from events up to it is applied.</summary>
    public long Checkpoint => Volatile.Read(ref _checkpoint);

    public int ParkedKeys => _parked.Count;

    public ValueTask EnqueueAsync(PartitionItem item, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(item, cancellationToken);

    /// <summary>No more items: the worker finishes what is queued, commits and returns.</summary>
    public void Complete() => _channel.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await LoopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _channel.Writer.TryComplete();
            while (_channel.Reader.TryRead(out var item))
            {
                (item as PartitionCommand)?.Abandon();
            }
        }
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var pending = new List<MappedOp>();
        var watermark = Checkpoint;
        var reader = _channel.Reader;
        while (true)
        {
            if (!reader.TryRead(out var item))
            {
                if (pending.Count > 0)
                {
                    await CommitAsync(pending, watermark, cancellationToken).ConfigureAwait(false);
                    pending.Clear();
                    continue;
                }

                if (watermark > Checkpoint)
                {
                    // Only a checkpoint to move: do it at most once per interval, piggybacking on row batches otherwise.
                    var due = _context.Options.CheckpointInterval - _context.Clock.GetElapsedTime(_lastCommit);
                    if (due <= TimeSpan.Zero)
                    {
                        await CommitAsync(pending, watermark, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    try
                    {
                        if (!await reader.WaitToReadAsync(cancellationToken).AsTask().WaitAsync(due, _context.Clock, cancellationToken).ConfigureAwait(false))
                        {
                            await CommitAsync(pending, watermark, cancellationToken).ConfigureAwait(false);
                            return;
                        }
                    }
                    catch (TimeoutException)
                    {
                    }

                    continue;
                }

                if (!await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            switch (item)
            {
                case EventBatch batch:
                    var ops = batch.Ops;
                    for (var i = 0; i < ops.Count;)
                    {
                        // One event's ops at a time: a commit never splits an event.
                        var position = ops[i].Event.Position;
                        do
                        {
                            pending.Add(ops[i++]);
                        }
                        while (i < ops.Count && ops[i].Event.Position == position);

                        watermark = Math.Max(watermark, position);
                        if (pending.Count >= _context.Options.MaxBatchRows)
                        {
                            await CommitAsync(pending, watermark, cancellationToken).ConfigureAwait(false);
                            pending.Clear();
                        }
                    }

                    watermark = Math.Max(watermark, batch.Watermark);
                    break;
                case Watermark mark:
                    watermark = Math.Max(watermark, mark.Position);
                    break;
                case PartitionCommand command:
                    if (pending.Count > 0 || watermark > Checkpoint)
                    {
                        await CommitAsync(pending, watermark, cancellationToken).ConfigureAwait(false);
                        pending.Clear();
                    }

                    await command.RunAsync(this, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>Commits a batch, retrying transient failures forever and isolating rows after a permanent one.</summary>
    private async Task CommitAsync(List<MappedOp> ops, long watermark, CancellationToken cancellationToken)
    {
        var isolate = false;
        var started = _context.Clock.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ApplyAsync(ops, watermark, isolate, cancellationToken).ConfigureAwait(false);
                _context.Instruments.BatchDuration.Record(_context.Clock.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>(GravitySyncTelemetry.DatabaseAttribute, _context.Database));
                return;
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                if (_context.Writer.IsTransient(ex))
                {
                    var delay = _context.RetryDelay(attempt);
                    _context.Instruments.Retries.Add(1, new KeyValuePair<string, object?>(GravitySyncTelemetry.DatabaseAttribute, _context.Database));
                    _context.Logger.BatchRetrying(ex, _context.Database, Index, attempt, delay);
                    await Task.Delay(delay, _context.Clock, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (!isolate && ops.Count > 0)
                {
                    _context.Logger.BatchIsolating(ex, _context.Database, Index, ops.Count);
                    isolate = true;
                    continue;
                }

                throw; // not about one row (bookkeeping table broken, permissions): the pipeline restarts after a delay
            }
        }
    }

    private async Task ApplyAsync(List<MappedOp> ops, long watermark, bool isolate, CancellationToken cancellationToken)
    {
        using var activity = StartActivity(ops);
        var newlyParked = new HashSet<(string, string)>();
        var parks = new List<(MappedOp Op, string Reason)>();
        var toApply = new List<MappedOp>(ops.Count);
        foreach (var op in ops)
        {
            if (op.Key is null)
            {
                parks.Add((op, op.Error ?? "the event has no key"));
            }
            else if ((_parked.Count > 0 && _parked.Contains((op.Table, op.Key))) || (newlyParked.Count > 0 && newlyParked.Contains((op.Table, op.Key))))
            {
                parks.Add((op, $"waits behind an earlier parked event of key {op.Key}"));
            }
            else if (op.Error is not null)
            {
                parks.Add((op, op.Error));
                newlyParked.Add((op.Table, op.Key));
            }
            else
            {
                toApply.Add(op);
            }
        }

        var applied = new List<MappedOp>(toApply.Count);
        List<ExportEntry>? exports;
        await using (var transaction = await _context.Writer.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!isolate)
            {
                if (transaction is IOrderedTargetTransaction { AppliesInOrder: true })
                {
                    // One statement per row, in order: the whole batch goes at once, repeated keys included.
                    var changes = new RowChange[toApply.Count];
                    for (var i = 0; i < changes.Length; i++)
                    {
                        changes[i] = toApply[i].Change!;
                    }

                    await transaction.ApplyAsync(changes, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    foreach (var wave in Waves(toApply))
                    {
                        await transaction.ApplyAsync(wave, cancellationToken).ConfigureAwait(false);
                    }
                }

                applied.AddRange(toApply);
            }
            else
            {
                await ApplyOneByOneAsync(transaction, toApply, applied, parks, newlyParked, cancellationToken).ConfigureAwait(false);
            }

            if (parks.Count > 0)
            {
                var now = _context.Clock.GetUtcNow();
                await transaction.ParkAsync([.. parks.Select(p => ToEntry(p.Op, p.Reason, now))], cancellationToken).ConfigureAwait(false);
            }

            // Synced events commit with the rows they announce, so no outage or crash after the commit can lose one.
            exports = _context.Mapper.HasExporters ? ExportDispatcher.Queue(_context.Source, applied, _context.Clock.GetUtcNow()) : null;
            if (exports is not null)
            {
                await transaction.QueueExportsAsync(exports, cancellationToken).ConfigureAwait(false);
            }

            if (watermark > Checkpoint)
            {
                await transaction.SetCheckpointAsync(_context.Source, new CheckpointEntry(Index, _context.Partitions, watermark), cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        // Only now is the outcome durable: publish it to memory, metrics and logs.
        _parked.UnionWith(newlyParked);
        Volatile.Write(ref _checkpoint, Math.Max(Checkpoint, watermark));
        _lastCommit = _context.Clock.GetTimestamp();
        Record(applied, parks);
        activity?.SetTag("messaging.batch.message_count", ops.Count);
        if (exports is not null)
        {
            _context.Exports.Committed(_context.Database, exports);
        }
    }

    private async Task ApplyOneByOneAsync(ITargetTransaction transaction, List<MappedOp> toApply, List<MappedOp> applied, List<(MappedOp Op, string Reason)> parks, HashSet<(string, string)> newlyParked, CancellationToken cancellationToken)
    {
        foreach (var op in toApply)
        {
            var key = (op.Table, op.Key!);
            if (newlyParked.Contains(key))
            {
                parks.Add((op, $"waits behind an earlier parked event of key {op.Key}"));
                continue;
            }

            await transaction.SaveAsync(Savepoint, cancellationToken).ConfigureAwait(false);
            try
            {
                await transaction.ApplyAsync([op.Change!], cancellationToken).ConfigureAwait(false);
                await transaction.ReleaseAsync(Savepoint, cancellationToken).ConfigureAwait(false);
                applied.Add(op);
            }
            catch (Exception ex) when (!_context.Writer.IsTransient(ex) && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                await transaction.RollbackToAsync(Savepoint, cancellationToken).ConfigureAwait(false);
                await transaction.ReleaseAsync(Savepoint, cancellationToken).ConfigureAwait(false);
                parks.Add((op, _context.Writer.DescribeFailure(ex)));
                newlyParked.Add(key);
            }
        }
    }

    /// <summary>
    /// Splits a batch so no statement touches a key twice (PostgreSQL refuses that in one upsert): wave n holds the
    /// n-th change of each key, and waves run in order, which keeps per-key order.
    /// </summary>
    private static List<List<RowChange>> Waves(List<MappedOp> ops)
    {
        var waves = new List<List<RowChange>>();
        var seen = new Dictionary<(string, string), int>(ops.Count, RowKeyComparer.Instance);
        foreach (var op in ops)
        {
            ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, (op.Table, op.Key!), out _);
            var n = count++;
            if (waves.Count == n)
            {
                waves.Add(n == 0 ? new List<RowChange>(ops.Count) : []);
            }

            waves[n].Add(op.Change!);
        }

        return waves;
    }

    private static void CountRuns<T>(List<T> items, Func<T, CompiledRule> ruleOf, Action<CompiledRule, int> count)
    {
        CompiledRule? current = null;
        var run = 0;
        foreach (var item in items)
        {
            var rule = ruleOf(item);
            if (!ReferenceEquals(rule, current))
            {
                if (current is not null)
                {
                    count(current, run);
                }

                (current, run) = (rule, 0);
            }

            run++;
        }

        if (current is not null)
        {
            count(current, run);
        }
    }

    private ParkedEntry ToEntry(MappedOp op, string reason, DateTimeOffset now) => new()
    {
        Source = _context.Source,
        Position = op.Event.Position,
        OpIndex = op.OpIndex,
        Table = op.Table,
        Key = op.Key,
        EventId = op.Event.Id,
        EventName = op.Event.Name,
        EventKey = op.Event.Key,
        Payload = op.Event.Payload,
        TraceParent = op.Event.TraceParent,
        TraceState = op.Event.TraceState,
        EventTimestamp = op.Event.Timestamp,
        Reason = reason,
        ParkedAt = now,
    };

    private void Record(List<MappedOp> applied, List<(MappedOp Op, string Reason)> parks)
    {
        var database = new KeyValuePair<string, object?>(GravitySyncTelemetry.DatabaseAttribute, _context.Database);

        // Counted per table without grouping: a batch writes one table or a few, so a short list beats hashing each row.
        var tables = new List<(string Table, int Count)>(1);
        var last = -1;
        foreach (var op in applied)
        {
            if (last < 0 || !ReferenceEquals(tables[last].Table, op.Table))
            {
                last = tables.Count - 1;
                while (last >= 0 && !string.Equals(tables[last].Table, op.Table, StringComparison.Ordinal))
                {
                    last--;
                }

                if (last < 0)
                {
                    tables.Add((op.Table, 0));
                    last = tables.Count - 1;
                }
            }

            tables[last] = (op.Table, tables[last].Count + 1);
        }

        foreach (var (table, count) in tables)
        {
            _context.Instruments.Applied.Add(count, database, new KeyValuePair<string, object?>(GravitySyncTelemetry.TableAttribute, table));
        }

        // Per rule for the operator status; batches mostly hold one rule's changes in runs, so runs are counted once.
        var now = _context.Clock.GetUtcNow();
        CountRuns(applied, static op => op.Rule, (rule, count) => rule.CountApplied(count, now));
        CountRuns(parks, static park => park.Op.Rule, static (rule, count) => rule.CountParked(count));

        foreach (var (op, reason) in parks)
        {
            var kind = op.Key is null ? "dead_letter" : reason.StartsWith("waits behind", StringComparison.Ordinal) ? "waiting" : "failed";
            _context.Instruments.Parked.Add(1, database, new KeyValuePair<string, object?>(GravitySyncTelemetry.TableAttribute, op.Table), new KeyValuePair<string, object?>(GravitySyncTelemetry.ReasonAttribute, kind));
            if (op.Key is null)
            {
                _context.Logger.DeadLetter(_context.Database, op.Table, op.Event.Position, op.Event.Name, op.Event.Id, reason);
            }
            else if (kind == "failed")
            {
                _context.Logger.KeyParked(_context.Database, op.Table, op.Key, op.Event.Position, op.Event.Name, op.Event.Id, reason);
            }
        }
    }

    private Activity? StartActivity(List<MappedOp> ops)
    {
        if (!SyncInstruments.ActivitySource.HasListeners())
        {
            return null;
        }

        // One span per batch, linked to each distinct publisher trace (a batch has many parents, so links, not a parent).
        List<ActivityLink>? links = null;
        foreach (var parent in ops.Select(o => o.Event).DistinctBy(e => e.Position).Take(128))
        {
            if (parent.TraceParent is not null && ActivityContext.TryParse(parent.TraceParent, parent.TraceState, out var context))
            {
                (links ??= []).Add(new ActivityLink(context));
            }
        }

        var activity = SyncInstruments.ActivitySource.StartActivity("gravity.sync.apply", ActivityKind.Consumer, parentContext: default, links: links);
        activity?.SetTag(GravitySyncTelemetry.DatabaseAttribute, _context.Database);
        activity?.SetTag(GravitySyncTelemetry.PartitionAttribute, Index);
        return activity;
    }
}
