using Gravity.Sync.Exporters;
using Gravity.Sync.Hosting;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Engine;

/// <summary>
/// Delivers synced events durably. A partition queues them in its target database in the same transaction as the rows
/// they announce (<see cref="Queue"/>), and one <see cref="ExportDrain"/> per database and exporter publishes them in
/// position order once committed, retrying a failing exporter with capped back-off and removing them only after the
/// publish succeeded. An outage delays synced events but loses none; so does a crash, since the queue is in the database.
/// </summary>
internal sealed class ExportDispatcher(GravityRuleSet rules, IEnumerable<IGravityExporter> exporters, GravitySyncOptions options, TimeProvider clock, ILogger logger, Diagnostics.SyncInstruments instruments) : IAsyncDisposable
{
    private readonly Dictionary<string, IGravityExporter> _byType = exporters.GroupBy(e => e.Type, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Last(), StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<ExportDrain>> _drains = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _abort = new();
    private Task _running = Task.CompletedTask;

    public bool HasExporter(string type) => _byType.ContainsKey(type);

    /// <summary>The queue entries for the applied row changes whose rules name exporters; <see langword="null"/> when none do.</summary>
    public static List<ExportEntry>? Queue(string source, IReadOnlyList<MappedOp> applied, DateTimeOffset now)
    {
        List<ExportEntry>? entries = null;
        foreach (var op in applied)
        {
            foreach (var name in op.Rule.Rule.Exporters)
            {
                (entries ??= []).Add(new ExportEntry
                {
                    Exporter = name,
                    Source = source,
                    Position = op.Event.Position,
                    OpIndex = op.OpIndex,
                    EventId = op.Event.Id,
                    EventName = op.Event.Name,
                    Table = op.Table,
                    Key = op.Key ?? "[]",
                    TraceParent = op.Event.TraceParent,
                    TraceState = op.Event.TraceState,
                    QueuedAt = now,
                });
            }
        }

        return entries;
    }

    /// <summary>Starts publishing for every database whose rules name exporters; entries left by an earlier run go first.</summary>
    public void Start(IEnumerable<(string Database, ITargetWriter Writer)> databases)
    {
        var tasks = new List<Task>();
        foreach (var (database, writer) in databases)
        {
            var names = rules.Rules.Where(r => r.Database == database).SelectMany(r => r.Exporters).Distinct(StringComparer.Ordinal).ToList();
            if (names.Count == 0)
            {
                continue;
            }

            var drains = names.Select(name =>
            {
                var definition = rules.Exporters[name];
                return new ExportDrain(database, writer, definition, _byType[definition.Type], options, clock, logger, instruments);
            }).ToList();
            _drains[database] = drains;
            tasks.AddRange(drains.Select(d => d.RunAsync(_stopping.Token, _abort.Token)));
        }

        _running = Task.WhenAll(tasks);
    }

    /// <summary>Tells the database's drains that a commit queued <paramref name="entries"/>.</summary>
    public void Committed(string database, IReadOnlyList<ExportEntry> entries)
    {
        if (_drains.TryGetValue(database, out var drains))
        {
            foreach (var drain in drains)
            {
                drain.Queued(entries);
            }
        }
    }

    /// <summary>
    /// Publishes what the partitions' last commits queued, for at most <paramref name="drainTimeout"/> (and never past
    /// <paramref name="cancellationToken"/>); whatever is left stays queued for the next start. Call after the partitions stopped.
    /// </summary>
    public async Task StopAsync(TimeSpan drainTimeout, CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.WaitAsync(drainTimeout, clock, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _abort.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _abort.Dispose();
    }
}
