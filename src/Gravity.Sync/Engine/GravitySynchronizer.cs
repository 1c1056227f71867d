using System.Text;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Events;
using Gravity.Sync.Exporters;
using Gravity.Sync.Hosting;
using Gravity.Sync.Operations;
using Gravity.Sync.Rules;
using Gravity.Sync.Snapshots;
using Gravity.Sync.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gravity.Sync.Engine;

/// <summary>
/// Owns one pipeline per database and source lane: one lane unless the source is partitioned (Kafka, partitioned NATS
/// subjects). Start-up loads and validates the rules, checks that every database type and exporter type has an
/// implementation, prepares the tables, then starts the lanes; failures there fail the host. A shared source
/// (<see cref="IDynamicPartitionSource"/>) adds and removes lanes at run time as this instance gains and loses
/// partitions. While running it acknowledges sources that keep server-side consumer state up to the position every
/// database has committed.
/// </summary>
internal sealed partial class GravitySynchronizer(
    IOptions<GravitySyncOptions> options,
    RuleSetProvider rules,
    EventSourceSelection sources,
    IEnumerable<ITargetWriterFactory> writerFactories,
    IEnumerable<IGravityExporter> exporters,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    SyncInstruments instruments,
    IEnumerable<IGravitySnapshotSource> snapshotSources) : IGravitySyncOperator, IPartitionAssignmentHandler, IAsyncDisposable
{
    private static readonly TimeSpan FinalAcknowledgeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FinalExportTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = loggerFactory.CreateLogger("Gravity.Sync.Synchronizer");
    private readonly ILogger _pipelineLogger = loggerFactory.CreateLogger("Gravity.Sync.Pipeline");
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _acknowledgeGate = new(1, 1);
    private readonly List<ITargetWriter> _writers = [];
    private IReadOnlyList<DatabaseTarget> _databases = [];
    private DateTimeOffset _startedAt;
    private ExportDispatcher? _exports;
    private IDynamicPartitionSource? _shared;
    private Task _acknowledging = Task.CompletedTask;
    private int _disposed;

    public GravityRuleSet? RuleSet { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _startedAt = timeProvider.GetUtcNow();
        var o = options.Value;
        var ruleSet = rules.Load();
        var databases = ResolveDatabases(ruleSet, o);
        var exports = new ExportDispatcher(ruleSet, exporters, o, timeProvider, _logger, instruments);
        CheckExporters(ruleSet, exports);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.StartupTimeout);
        var shared = sources.Shared();
        IReadOnlyList<IEventSource> lanes = [];
        if (shared is null)
        {
            try
            {
                lanes = await sources.ResolveAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Event source \"{sources.Describe()}\" did not list its partitions within {GravitySyncOptions.SectionName}:StartupTimeout ({o.StartupTimeout}); is it reachable?");
            }
        }

        var targets = new List<DatabaseTarget>();
        var errors = new List<string>();
        foreach (var (definition, factory) in databases)
        {
            var writer = factory.Create(definition);
            _writers.Add(writer);
            var databaseRules = ruleSet.Rules.Where(r => r.Database == definition.Name).ToList();
            IReadOnlyList<TableSchema> tables;
            try
            {
                tables = await writer.PrepareAsync(Requirements(databaseRules), timeout.Token).ConfigureAwait(false);
            }
            catch (GravityRulesException ex)
            {
                errors.AddRange(ex.Errors);
                continue;
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Database \"{definition.Name}\" ({definition.Type}) could not be prepared within {GravitySyncOptions.SectionName}:StartupTimeout ({o.StartupTimeout}); is it reachable?");
            }

            var byName = tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
            var compiled = databaseRules.Select(r => new CompiledRule(r, byName[r.Table])).ToList();
            var partitions = o.Databases.TryGetValue(definition.Name, out var overrides) && overrides.Partitions is { } p ? p : o.Partitions ?? writer.DefaultPartitions;
            targets.Add(new DatabaseTarget(definition.Name, writer, new EventMapper(compiled), byName, partitions));
            _logger.TargetReady(definition.Name, string.Join(", ", tables.Select(t => t.Name)));
        }

        errors.AddRange(ConfigureSnapshots(ruleSet, targets));
        if (errors.Count > 0)
        {
            throw new GravityRulesException(errors);
        }

        RuleSet = ruleSet;
        _databases = targets;
        _exports = exports;
        exports.Start(targets.Select(t => (t.Name, t.Writer)));
        foreach (var lane in lanes)
        {
            AddLane(lane);
        }

        if (shared is not null)
        {
            try
            {
                await shared.StartAsync(this, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Event source \"{shared.Name}\" did not start within {GravitySyncOptions.SectionName}:StartupTimeout ({o.StartupTimeout}); is it reachable?");
            }

            _shared = shared;
        }

        if (shared is not null || lanes.Any(l => l is IAcknowledgedEventSource))
        {
            _acknowledging = AcknowledgeLoopAsync(_stop.Token);
        }

        var described = shared is not null ? $"{shared.Name} (partitions shared with other instances)"
            : lanes.Count == 1 ? lanes[0].Name : $"{sources.Describe()} ({lanes.Count} partitions)";
        _logger.SynchronizerStarted(ruleSet.Rules.Count, string.Join(", ", targets.Select(t => t.Name)), described, Lanes.Sum(l => l.Pipelines.Sum(p => p.Context.Partitions)));
    }

    /// <summary>Stops reading, lets the partitions commit what they hold, and drops it if <paramref name="cancellationToken"/> fires first.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        if (_shared is { } shared)
        {
            // Leaving hands every partition over: each is drained, committed and acknowledged before the source lets go.
            try
            {
                await shared.StopAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Out of time: the lanes still here are dropped below; the source lets go when its session or claims lapse.
            }
            catch (Exception ex)
            {
                _logger.SharedSourceStopFailed(ex, shared.Name);
            }
        }

        var remaining = TakeAllLanes();
        await Task.WhenAll(remaining.Select(l => l.StopAsync(Timeout.InfiniteTimeSpan, timeProvider, cancellationToken))).ConfigureAwait(false);

        // The partitions' last commits may have queued synced events: publish them, briefly; the rest stays queued.
        if (_exports is { } exports)
        {
            await exports.StopAsync(FinalExportTimeout, cancellationToken).ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);

        // The partitions have committed what they held: hand the final positions to the source before leaving.
        // Bounded: a broker that is down must not hold up the shutdown; the next start acknowledges instead.
        await _acknowledging.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await ReleaseAsync(remaining, acknowledge: true, cancellationToken).WaitAsync(FinalAcknowledgeTimeout, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Dispose(remaining);
        _logger.SynchronizerStopped();
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes this twice (as itself and as IGravitySyncOperator); the second call does nothing.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        var remaining = TakeAllLanes();
        await Task.WhenAll(remaining.Select(l => l.AbortAsync())).ConfigureAwait(false);
        await _acknowledging.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var lane in remaining)
        {
            lane.Dispose();
        }

        if (_exports is { } exports)
        {
            await exports.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var writer in _writers)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }

        _snapshots?.Dispose();

        _stop.Dispose();
    }

    /// <summary>Acknowledges the sources that keep consumer state, once per checkpoint interval, until stopped.</summary>
    private async Task AcknowledgeLoopAsync(CancellationToken stopToken)
    {
        await Task.Yield();
        var o = options.Value;
        var interval = o.CheckpointInterval > TimeSpan.Zero ? o.CheckpointInterval : o.PollInterval;
        while (!stopToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, timeProvider, stopToken).ConfigureAwait(false);
                await _acknowledgeGate.WaitAsync(stopToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                foreach (var lane in Lanes)
                {
                    await AcknowledgeAsync(lane, stopToken).ConfigureAwait(false);
                }
            }
            finally
            {
                _acknowledgeGate.Release();
            }
        }
    }

    /// <summary>
    /// Acknowledges a lane up to the lowest position its databases have committed. A database whose pipeline is
    /// restarting counts with what it last committed, so an acknowledgement never runs ahead of a target. Callers hold
    /// the acknowledgement lock, so a released lane is never acknowledged after its final acknowledgement.
    /// </summary>
    private async Task AcknowledgeAsync(SourceLane lane, CancellationToken cancellationToken)
    {
        if (lane.Source is not IAcknowledgedEventSource source || lane.Released || lane.Pipelines.Count == 0)
        {
            return;
        }

        var committed = lane.Committed;
        if (committed <= lane.Acknowledged)
        {
            return;
        }

        try
        {
            await source.AcknowledgeAsync(committed, cancellationToken).ConfigureAwait(false);
            lane.Acknowledged = committed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _logger.AcknowledgeFailed(ex, source.Name, committed);
        }
    }

    private List<(DatabaseDefinition Definition, ITargetWriterFactory Factory)> ResolveDatabases(GravityRuleSet ruleSet, GravitySyncOptions o)
    {
        var errors = new List<string>();
        var result = new List<(DatabaseDefinition, ITargetWriterFactory)>();
        foreach (var name in ruleSet.UsedDatabases)
        {
            var definition = Effective(ruleSet.Databases[name], o);
            var factory = writerFactories.LastOrDefault(f => string.Equals(f.DatabaseType, definition.Type, StringComparison.OrdinalIgnoreCase));
            if (factory is null)
            {
                var package = definition.Type switch
                {
                    DatabaseDefinition.Postgres => "add the Gravity.Sync.PostgreSql package and call AddPostgreSql() on the builder AddGravitySync returns",
                    DatabaseDefinition.MySql => "add the Gravity.Sync.MySql package and call AddMySql() on the builder AddGravitySync returns",
                    _ => "register an ITargetWriterFactory for it",
                };
                errors.Add($"{definition.File ?? "databases"}: databases.{name}: type \"{definition.Type}\" has no writer registered; {package}.");
                continue;
            }

            result.Add((definition, factory));
        }

        return errors.Count > 0 ? throw new GravityRulesException(errors) : result;
    }

    private static DatabaseDefinition Effective(DatabaseDefinition d, GravitySyncOptions o)
    {
        o.Databases.TryGetValue(d.Name, out var overrides);
        var dbName = d.DbName;
        if (d.Type == DatabaseDefinition.Sqlite && dbName is not null && !Path.IsPathRooted(dbName))
        {
            dbName = Path.GetFullPath(Path.Combine(o.DataDirectory, dbName));
        }

        return new DatabaseDefinition
        {
            Name = d.Name,
            Type = d.Type,
            Host = d.Host,
            Port = d.Port,
            Secure = d.Secure,
            Username = d.Username,
            Password = overrides?.Password ?? d.Password,
            DbName = dbName,
            ConnectionString = overrides?.ConnectionString ?? d.ConnectionString,
            SnapshotFrom = overrides?.SnapshotFrom ?? d.SnapshotFrom,
            File = d.File,
        };
    }

    private static void CheckExporters(GravityRuleSet ruleSet, ExportDispatcher exports)
    {
        var errors = ruleSet.Rules.SelectMany(r => r.Exporters).Distinct(StringComparer.Ordinal)
            .Select(name => ruleSet.Exporters[name])
            .Where(e => !exports.HasExporter(e.Type))
            .Select(e => $"{e.File ?? "exporters"}: exporter.{e.Name}: type \"{e.Type}\" has no exporter registered; add the exporter package for it (or remove \"{e.Name}\" from the rules).")
            .ToList();
        if (errors.Count > 0)
        {
            throw new GravityRulesException(errors);
        }
    }

    private static List<TableRequirement> Requirements(List<ProjectionRule> rules)
    {
        var result = new List<TableRequirement>();
        foreach (var group in rules.GroupBy(r => r.Table, StringComparer.Ordinal))
        {
            var keyed = group.FirstOrDefault(r => r.Method != ProjectionMethod.Truncate);
            var keyColumns = keyed?.KeyColumns ?? [];
            var columns = new List<(string Name, ColumnType? Type)>();
            void Add(string name, ColumnType? type)
            {
                var i = columns.FindIndex(c => c.Name == name);
                if (i < 0)
                {
                    columns.Add((name, type));
                }
                else if (columns[i].Type is null)
                {
                    columns[i] = (name, type);
                }
            }

            foreach (var key in keyColumns)
            {
                Add(key, group.SelectMany(r => r.Mapping).FirstOrDefault(m => m.Target == key && m.Type is not null)?.Type);
            }

            foreach (var mapping in group.SelectMany(r => r.Mapping))
            {
                Add(mapping.Target, mapping.Type);
            }

            result.Add(new TableRequirement
            {
                Name = group.Key,
                KeyColumns = keyColumns,
                Columns = columns,
                PassThrough = group.Any(r => r.IsPassThrough && r.Method is ProjectionMethod.Insert or ProjectionMethod.Upsert),
                MustExist = group.All(r => r.IsPassThrough),
                Rules = [.. group],
            });
        }

        return result;
    }

    internal static string Describe(ReadOnlyMemory<byte> payload)
    {
        var text = Encoding.UTF8.GetString(payload.Span);
        return text.Length <= 4000 ? text : text[..4000] + "...";
    }
}
