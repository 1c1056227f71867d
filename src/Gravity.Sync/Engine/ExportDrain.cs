using Gravity.Sync.Diagnostics;
using Gravity.Sync.EventLog;
using Gravity.Sync.Exporters;
using Gravity.Sync.Hosting;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Gravity.Sync.Engine;

/// <summary>
/// Publishes one exporter's synced events queued in one database, oldest position first: read a page, publish it
/// (retrying with capped, jittered back-off for as long as the exporter fails), then remove it. A page is removed only
/// after its publish succeeded, so delivery is at least once; a crash after the publish and before the removal
/// publishes the page again, which exporters with broker-side de-duplication (JetStream message ids) absorb.
/// </summary>
internal sealed class ExportDrain
{
    /// <summary>How many times the drain counts its queue at start while commits keep landing during the count.</summary>
    private const int MaxQueueCounts = 5;

    private readonly string _database;
    private readonly ITargetWriter _writer;
    private readonly ExporterDefinition _definition;
    private readonly IGravityExporter _exporter;
    private readonly GravitySyncOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger _logger;
    private readonly SyncInstruments _instruments;
    private readonly AppendSignal _committed = new();
    private readonly ResiliencePipeline _pipeline;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly ExportQueueState _queue;
    private int _batchCount;
    private int _attempts;

    public ExportDrain(string database, ITargetWriter writer, ExporterDefinition definition, IGravityExporter exporter, GravitySyncOptions options, TimeProvider clock, ILogger logger, SyncInstruments instruments)
    {
        _database = database;
        _writer = writer;
        _definition = definition;
        _exporter = exporter;
        _options = options;
        _clock = clock;
        _logger = logger;
        _instruments = instruments;
        _tags = [new(GravitySyncTelemetry.DatabaseAttribute, database), new(GravitySyncTelemetry.ExporterAttribute, definition.Name)];
        _queue = new ExportQueueState(database, definition.Name, clock);
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = clock }
            .AddRetry(new RetryStrategyOptions
            {
                // Whatever the exporter throws is retried (its broker may be down for hours); only the stop ends it.
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is not null && !args.Context.CancellationToken.IsCancellationRequested),
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                OnRetry = OnRetry,
            })
            .AddTimeout(options.ExportTimeout) // per attempt: a publish that hangs counts as failed and is retried
            .Build();
    }

    /// <summary>A commit queued entries (some may be for other exporters): count this exporter's, and read now rather than at the next poll.</summary>
    public void Queued(IReadOnlyList<ExportEntry> entries)
    {
        var count = 0;
        var oldest = DateTimeOffset.MaxValue;
        foreach (var entry in entries)
        {
            if (entry.Exporter == _definition.Name)
            {
                count++;
                oldest = entry.QueuedAt < oldest ? entry.QueuedAt : oldest;
            }
        }

        if (count > 0)
        {
            _queue.Queued(count, oldest);
            _committed.Raise();
        }
    }

    /// <summary>Publishes until <paramref name="stopping"/> finds the queue empty, or until <paramref name="abort"/> (the rest stays queued).</summary>
    public async Task RunAsync(CancellationToken stopping, CancellationToken abort)
    {
        await Task.Yield();
        using var tracked = _instruments.TrackExportQueue(_queue);
        await MeasureQueueAsync(abort).ConfigureAwait(false);
        var first = true;
        var failures = 0;
        while (true)
        {
            var committed = _committed.Next; // taken before the read, so a commit during the read is not missed
            var holding = false;
            try
            {
                var queuedBefore = _queue.QueuedTotal;
                var entries = await _writer.ReadExportsAsync(_definition.Name, _options.ReadBatchSize, abort).ConfigureAwait(false);
                _queue.Read(entries, entries.Count < _options.ReadBatchSize, queuedBefore);
                failures = 0;
                if (entries.Count > 0)
                {
                    if (first)
                    {
                        _logger.ExportsResumed(_definition.Name, _database, entries.Count);
                    }

                    first = false;
                    holding = true;
                    await PublishAsync(entries, abort).ConfigureAwait(false);
                    await _writer.RemoveExportsAsync(entries, abort).ConfigureAwait(false);
                    _queue.Published(entries.Count);
                    continue;
                }

                first = false;
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                if (holding)
                {
                    _logger.ExportsLeftQueued(_definition.Name, _database);
                }

                return;
            }
            catch (Exception ex)
            {
                // The database, not the exporter, failed (reading or removing the queue): wait and read again.
                var delay = Backoff.Delay(++failures, _options.RetryBaseDelay, _options.RetryMaxDelay);
                _logger.ExportQueueFailed(ex, _definition.Name, _database, delay);
                try
                {
                    await Task.Delay(delay, _clock, abort).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    _logger.ExportsLeftQueued(_definition.Name, _database);
                    return;
                }

                continue;
            }

            if (stopping.IsCancellationRequested)
            {
                return; // the partitions have stopped and the queue is empty
            }

            try
            {
                // Commits in this process wake the drain; the poll catches anything else (a missed wake, a restored database).
                await committed.WaitAsync(_options.PollInterval, _clock, stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Counts what earlier runs (or other instances) left queued, so the queue gauges start right even for a queue longer than a page.</summary>
    private async Task MeasureQueueAsync(CancellationToken cancellationToken)
    {
        if (_writer is not IExportQueueStore store)
        {
            return; // the first page read sets the gauges
        }

        try
        {
            // A commit that lands while the table is counted may or may not be in the count, and its notice is in
            // QueuedTotal either way: adding it could count it twice, and a page smaller than the queue never corrects
            // an overcount. So count again until no commit landed during a count; after the last try, the whole-queue
            // page reads settle what is left.
            for (var attempt = 1; ; attempt++)
            {
                var queuedBefore = _queue.QueuedTotal;
                var (length, oldest) = await store.MeasureExportsAsync(_definition.Name, cancellationToken).ConfigureAwait(false);
                if (_queue.QueuedTotal == queuedBefore || attempt == MaxQueueCounts)
                {
                    _queue.Measured(length, oldest, queuedBefore);
                    return;
                }
            }
        }
        catch (Exception)
        {
            // Only the gauges depend on it, and the page reads correct them. The read that follows meets the same
            // failure (or the stop) and handles it as always: logged and retried, or ended.
        }
    }

    private async Task PublishAsync(IReadOnlyList<ExportEntry> entries, CancellationToken cancellationToken)
    {
        var events = entries.Select(e => new SyncedEvent
        {
            EventId = e.EventId,
            EventName = e.EventName,
            Database = _database,
            Table = e.Table,
            Key = e.Key,
            Position = e.Position,
            Source = e.Source,
            TraceParent = e.TraceParent,
            TraceState = e.TraceState,
        }).ToList();
        _batchCount = events.Count;
        _attempts = 1;
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        try
        {
            await _pipeline.ExecuteAsync(
                static async (ctx, state) => await state.Exporter.ExportAsync(state.Definition, state.Events, ctx.CancellationToken).ConfigureAwait(false),
                context,
                (Exporter: _exporter, Definition: _definition, Events: events)).ConfigureAwait(false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        if (_attempts > 1)
        {
            _logger.ExportRecovered(_definition.Name, events.Count, _database, _attempts);
        }

        _instruments.ExportsPublished.Add(events.Count, _tags);
        _instruments.ExportDelay.Record(Math.Max(0, (_clock.GetUtcNow() - entries.Min(e => e.QueuedAt)).TotalSeconds), _tags);
    }

    private async ValueTask OnRetry(OnRetryArguments<object> args)
    {
        _attempts = args.AttemptNumber + 2;
        _instruments.ExportRetries.Add(1, _tags);
        _logger.ExportFailed(args.Outcome.Exception!, _definition.Name, _batchCount, _database, args.AttemptNumber + 1, args.RetryDelay);

        // While the exporter fails the drain reads no page, and a page read is what settles the gauges after a commit
        // whose notice raced the read (counted in the page and again by its notice). Count the table again instead,
        // so the gauges of an outage that lasts hours show what waits, not a count that drifted.
        await MeasureQueueAsync(args.Context.CancellationToken).ConfigureAwait(false);
    }
}
