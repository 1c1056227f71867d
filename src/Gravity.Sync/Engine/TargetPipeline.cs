using System.Diagnostics.Metrics;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Events;
using Gravity.Sync.Operations;

namespace Gravity.Sync.Engine;

/// <summary>
/// Feeds one database from the source: reads events from the lowest partition checkpoint, maps them, routes each row
/// change to the partition of its key and lets the partitions commit in parallel. A failure restarts the pipeline from
/// the committed checkpoints, so nothing is lost or applied twice.
/// </summary>
internal sealed class TargetPipeline(TargetContext context, IEventSource source)
{
    private volatile PartitionWorker[]? _workers;
    private long _head;
    private long _lastCommitted;

    public string Database => context.Database;

    public TargetContext Context => context;

    public bool Running => _workers is not null;

    /// <summary>Gets the position every partition has committed (or 0 while the pipeline is restarting).</summary>
    public long Position => _workers is { } workers ? workers.Min(w => w.Checkpoint) : 0;

    /// <summary>
    /// Gets the position every partition has durably committed, also while the pipeline restarts or after it stopped
    /// (then the value its partitions reached); 0 until it first ran. Sources are acknowledged up to it.
    /// </summary>
    public long Committed => _workers is { } workers ? workers.Min(w => w.Checkpoint) : Volatile.Read(ref _lastCommitted);

    public IEventSource Source => source;

    public int ParkedKeys => _workers?.Sum(w => w.ParkedKeys) ?? 0;

    public IEnumerable<Measurement<long>> ObserveLag()
    {
        if (_workers is { } workers)
        {
            yield return new Measurement<long>(
                Math.Max(0, Volatile.Read(ref _head) - workers.Min(w => w.Checkpoint)),
                new KeyValuePair<string, object?>(GravitySyncTelemetry.DatabaseAttribute, Database),
                new KeyValuePair<string, object?>(GravitySyncTelemetry.SourceAttribute, context.Source));
        }
    }

    /// <summary>Runs until <paramref name="stopToken"/> (then drains what is queued) or <paramref name="abortToken"/> (then drops it).</summary>
    public async Task RunAsync(CancellationToken stopToken, CancellationToken abortToken)
    {
        await Task.Yield();
        for (var attempt = 1; !stopToken.IsCancellationRequested; attempt++)
        {
            try
            {
                if (await RunGatedAsync(stopToken, abortToken).ConfigureAwait(false))
                {
                    return;
                }

                // An operator reset took the database over; the source is acknowledged no further until it is loaded
                // again, then the pipeline resumes from the snapshot's checkpoints.
                Volatile.Write(ref _lastCommitted, 0);
                attempt = 0;
                continue;
            }
            catch (OperationCanceledException) when (stopToken.IsCancellationRequested || abortToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                var delay = context.RetryDelay(attempt);
                context.Logger.PipelineFailed(ex, Database, context.Source, delay);
                try
                {
                    await Task.Delay(delay, context.Clock, stopToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Runs a command in the partition that owns a key, in order with that key's events.</summary>
    public async Task<T> RunInPartitionAsync<T>(string table, string? key, Func<PartitionWorker, CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var workers = _workers ?? throw new InvalidOperationException($"The pipeline of database \"{Database}\" is not running (stopped or restarting); try again.");
        var command = new PartitionCommand(async (worker, token) => await action(worker, token).ConfigureAwait(false));
        await workers[PartitionHash.Of(table, key, workers.Length)].EnqueueAsync(command, cancellationToken).ConfigureAwait(false);
        return (T)(await command.Completion.WaitAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Runs once inside the database's snapshot gate, which first finishes or starts a snapshot load when one is due.
    /// </summary>
    /// <returns><see langword="false"/> when an operator reset interrupted the run.</returns>
    private async Task<bool> RunGatedAsync(CancellationToken stopToken, CancellationToken abortToken)
    {
        if (context.Snapshots is not { } gate)
        {
            await RunOnceAsync(stopToken, abortToken).ConfigureAwait(false);
            return true;
        }

        using var entering = CancellationTokenSource.CreateLinkedTokenSource(stopToken, abortToken);
        using var lease = await gate.EnterAsync(entering.Token).ConfigureAwait(false);
        using var run = CancellationTokenSource.CreateLinkedTokenSource(abortToken, lease.Interrupted);
        try
        {
            await RunOnceAsync(stopToken, run.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception) when (lease.Interrupted.IsCancellationRequested && !abortToken.IsCancellationRequested)
        {
            // Whatever the interruption made the run throw: its batches rolled back, the reset empties the tables anyway.
            return false;
        }
    }

    private async Task RunOnceAsync(CancellationToken stopToken, CancellationToken abortToken)
    {
        var partitions = context.Partitions;
        var checkpoints = await context.Writer.ReadCheckpointsAsync(context.Source, abortToken).ConfigureAwait(false);
        var parked = await context.Writer.ReadParkedAsync(context.Source, null, null, abortToken).ConfigureAwait(false);

        // Checkpoints written with another partition count do not line up with today's partitions: start them all
        // from the lowest one. Re-applied rows are harmless (position guard, insert-if-absent, parked entries by id).
        var sameLayout = checkpoints.Count > 0 && checkpoints.All(c => c.Partitions == partitions);
        var floor = checkpoints.Count == 0 ? 0 : checkpoints.Min(c => c.Position);
        var starts = new long[partitions];
        for (var p = 0; p < partitions; p++)
        {
            starts[p] = sameLayout ? checkpoints.FirstOrDefault(c => c.Partition == p)?.Position ?? 0 : floor;
        }

        var parkedKeys = parked.Where(e => e.Key is not null).Select(e => (e.Table, Key: e.Key!)).Distinct().ToList();
        var workers = new PartitionWorker[partitions];
        for (var p = 0; p < partitions; p++)
        {
            workers[p] = new PartitionWorker(context, p, starts[p], parkedKeys.Where(k => PartitionHash.Of(k.Table, k.Key, partitions) == p));
        }

        var start = starts.Min();
        context.Logger.PipelineResumed(Database, context.Source, start, partitions, parkedKeys.Count);
        using var failure = CancellationTokenSource.CreateLinkedTokenSource(abortToken);
        var tasks = workers.Select(w => RunWorkerAsync(w, failure)).ToArray();
        _workers = workers;
        Exception? readerFailure = null;
        try
        {
            using var readToken = CancellationTokenSource.CreateLinkedTokenSource(stopToken, failure.Token);
            await ReadAsync(start, starts, workers, readToken.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopToken.IsCancellationRequested || failure.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            readerFailure = ex;
            await failure.CancelAsync().ConfigureAwait(false);
        }
        finally
        {
            foreach (var worker in workers)
            {
                worker.Complete();
            }
        }

        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _lastCommitted, Math.Max(Volatile.Read(ref _lastCommitted), workers.Min(w => w.Checkpoint)));
            _workers = null;
        }

        if (readerFailure is not null)
        {
            throw readerFailure;
        }

        abortToken.ThrowIfCancellationRequested();
    }

    private static async Task RunWorkerAsync(PartitionWorker worker, CancellationTokenSource failure)
    {
        try
        {
            await worker.RunAsync(failure.Token).ConfigureAwait(false);
        }
        catch
        {
            // One partition failing stops its siblings and the reader; the pipeline restarts from the checkpoints.
            await failure.CancelAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task ReadAsync(long position, long[] starts, PartitionWorker[] workers, CancellationToken cancellationToken)
    {
        var unmatchedTag = new KeyValuePair<string, object?>(GravitySyncTelemetry.DatabaseAttribute, Database);
        var batches = new List<MappedOp>?[workers.Length];
        while (true)
        {
            var events = await source.ReadAsync(position, context.Options.ReadBatchSize, cancellationToken).ConfigureAwait(false);
            if (events.Count == 0)
            {
                if (Array.Exists(batches, b => b is not null))
                {
                    // The last read was full but nothing followed it: what waited for more goes now.
                    await EnqueueAsync(workers, batches, position, hold: 0, cancellationToken).ConfigureAwait(false);
                }

                Volatile.Write(ref _head, position);
                await source.WaitAsync(position, context.Options.PollInterval, cancellationToken).ConfigureAwait(false);
                continue;
            }

            // Plain loops, no LINQ: this runs for every event. Each partition gets one item per read, not one per event.
            var unmatched = 0;
            foreach (var e in events)
            {
                var ops = context.Mapper.Map(e);
                if (ops.Count == 0)
                {
                    unmatched++;
                    position = e.Position;
                    continue;
                }

                // Indexed loops: foreach over the interface would allocate an enumerator per event.
                var truncates = false;
                for (var i = 0; i < ops.Count; i++)
                {
                    truncates |= ops[i].IsTruncate;
                }

                if (truncates)
                {
                    // Everything before the truncate goes first, then it waits for the partitions to commit it.
                    await EnqueueAsync(workers, batches, position, hold: 0, cancellationToken).ConfigureAwait(false);
                    await TruncateAsync(e, ops, workers, cancellationToken).ConfigureAwait(false);
                }

                for (var i = 0; i < ops.Count; i++)
                {
                    var op = ops[i];
                    var p = op.IsTruncate ? -1 : PartitionHash.Of(op.Table, op.Key, workers.Length);

                    // Skip what the partition already committed before a restart.
                    if (p >= 0 && e.Position > starts[p])
                    {
                        (batches[p] ??= new List<MappedOp>(Math.Min(events.Count, context.Options.MaxBatchRows))).Add(op);
                    }
                }

                position = e.Position;
            }

            if (unmatched > 0)
            {
                context.Instruments.Unmatched.Add(unmatched, unmatchedTag);
            }

            Volatile.Write(ref _head, position);

            // While the source has more (the read came back full), a partition's ops wait for the next read until they
            // fill a batch: with several partitions one read gives each only a share, and committing every share
            // would make small transactions exactly when there is a backlog to catch up on. A partial read means the
            // reader has caught up, and everything goes at once.
            var more = events.Count >= context.Options.ReadBatchSize;
            await EnqueueAsync(workers, batches, position, more ? context.Options.MaxBatchRows : 0, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Hands each partition its ops gathered so far (or just the position reached, when it has none) and starts new
    /// lists, except that a partition holding fewer than <paramref name="hold"/> ops keeps them, and gets nothing.
    /// </summary>
    private static async Task EnqueueAsync(PartitionWorker[] workers, List<MappedOp>?[] batches, long position, int hold, CancellationToken cancellationToken)
    {
        for (var p = 0; p < workers.Length; p++)
        {
            if (batches[p] is { } held && held.Count < hold)
            {
                continue; // its watermark stays where its last batch left it
            }

            PartitionItem item = batches[p] is { } ops ? new EventBatch(ops, position) : new Watermark(position);
            batches[p] = null;
            await workers[p].EnqueueAsync(item, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A truncate spans every key, so it waits until all partitions have committed everything before it, then deletes
    /// the rows older than the event. Repeating it after a restart deletes nothing newer, so it is safe to repeat.
    /// </summary>
    private async Task TruncateAsync(GravityEvent e, IReadOnlyList<MappedOp> ops, PartitionWorker[] workers, CancellationToken cancellationToken)
    {
        var flushes = new List<Task<object?>>();
        foreach (var worker in workers)
        {
            await worker.EnqueueAsync(new Watermark(e.Position - 1), cancellationToken).ConfigureAwait(false);
            var flush = new PartitionCommand((_, _) => Task.FromResult<object?>(null));
            await worker.EnqueueAsync(flush, cancellationToken).ConfigureAwait(false);
            flushes.Add(flush.Completion);
        }

        await Task.WhenAll(flushes).WaitAsync(cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var transaction = await context.Writer.BeginAsync(cancellationToken).ConfigureAwait(false);
                foreach (var op in ops.Where(o => o.IsTruncate))
                {
                    await transaction.TruncateAsync(op.Rule.Table, e.Position, cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                foreach (var op in ops.Where(o => o.IsTruncate))
                {
                    context.Logger.TableTruncated(Database, op.Table, e.Position);
                }

                return;
            }
            catch (Exception ex) when (context.Writer.IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(context.RetryDelay(attempt), context.Clock, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
