using System.Text;
using Gravity.Sync.Diagnostics;
using Gravity.Sync.Events;
using Gravity.Sync.Exporters;
using Gravity.Sync.Hosting;
using Gravity.Sync.Operations;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gravity.Sync.Engine;

/// <summary>
/// Owns one pipeline per database and source partition (one partition unless the source is partitioned, like Kafka).
/// Start-up loads and validates the rules, checks that every database type and exporter type has an implementation,
/// prepares the tables, then starts the pipelines; failures there fail the host. While running it acknowledges
/// sources that keep server-side consumer state up to the position every database has committed.
/// </summary>
internal sealed partial class GravitySynchronizer(
    IOptions<GravitySyncOptions> options,
    RuleSetProvider rules,
    EventSourceSelection sources,
    IEnumerable<ITargetWriterFactory> writerFactories,
    IEnumerable<IGravityExporter> exporters,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    SyncInstruments instruments) : IGravitySyncOperator, IAsyncDisposable
{
    private static readonly TimeSpan FinalAcknowledgeTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = loggerFactory.CreateLogger("Gravity.Sync.Synchronizer");
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<IDisposable> _lagRegistrations = [];
    private Dictionary<string, TargetPipeline[]> _pipelines = new(StringComparer.Ordinal);
    private IReadOnlyList<IEventSource> _sources = [];
    private readonly List<ITargetWriter> _writers = [];
    private long[] _acknowledged = [];
    private Task _running = Task.CompletedTask;
    private Task _acknowledging = Task.CompletedTask;
    private int _disposed;

    public GravityRuleSet? RuleSet { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var ruleSet = rules.Load();
        var databases = ResolveDatabases(ruleSet, o);
        var exports = new ExportDispatcher(ruleSet, exporters, _logger);
        CheckExporters(ruleSet, exports);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(o.StartupTimeout);
        IReadOnlyList<IEventSource> lanes;
        try
        {
            lanes = await sources.ResolveAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Event source \"{sources.Describe()}\" did not list its partitions within {GravitySyncOptions.SectionName}:StartupTimeout ({o.StartupTimeout}); is it reachable?");
        }

        var pipelines = new Dictionary<string, TargetPipeline[]>(StringComparer.Ordinal);
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
            var mapper = new EventMapper(compiled);
            var pipelineLogger = loggerFactory.CreateLogger("Gravity.Sync.Pipeline");
            pipelines[definition.Name] = [.. lanes.Select(lane => new TargetPipeline(
                new TargetContext
                {
                    Database = definition.Name,
                    Source = lane.Name,
                    Writer = writer,
                    Mapper = mapper,
                    Tables = byName,
                    Partitions = partitions,
                    Options = o,
                    Clock = timeProvider,
                    Logger = pipelineLogger,
                    Instruments = instruments,
                    Exports = exports,
                },
                lane))];
            _logger.TargetReady(definition.Name, string.Join(", ", tables.Select(t => t.Name)));
        }

        if (errors.Count > 0)
        {
            throw new GravityRulesException(errors);
        }

        RuleSet = ruleSet;
        _pipelines = pipelines;
        _sources = lanes;
        _acknowledged = new long[lanes.Count];
        foreach (var pipeline in pipelines.Values.SelectMany(p => p))
        {
            _lagRegistrations.Add(instruments.TrackLag(pipeline.ObserveLag));
        }

        _running = Task.WhenAll(pipelines.Values.SelectMany(p => p).Select(p => p.RunAsync(_stop.Token, _abort.Token)));
        if (lanes.Any(l => l is IAcknowledgedEventSource))
        {
            _acknowledging = AcknowledgeLoopAsync(_stop.Token);
        }

        var described = lanes.Count == 1 ? lanes[0].Name : $"{sources.Describe()} ({lanes.Count} partitions)";
        _logger.SynchronizerStarted(ruleSet.Rules.Count, string.Join(", ", pipelines.Keys), described, pipelines.Values.SelectMany(p => p).Sum(p => p.Context.Partitions));
    }

    /// <summary>Stops reading, lets the partitions commit what they hold, and drops it if <paramref name="cancellationToken"/> fires first.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _disposed) == 1)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Abandoned batches roll back; their events are read again from the checkpoints on the next start.
            await _abort.CancelAsync().ConfigureAwait(false);
            await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // The partitions have committed what they held: hand the final positions to the source before leaving.
        // Bounded: a broker that is down must not hold up the shutdown; the next start acknowledges instead.
        await _acknowledging.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await AcknowledgeOnceAsync(cancellationToken).WaitAsync(FinalAcknowledgeTimeout, timeProvider, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var registration in _lagRegistrations)
        {
            registration.Dispose();
        }

        _lagRegistrations.Clear();
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
        await _abort.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _acknowledging.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var writer in _writers)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
        _abort.Dispose();
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
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await AcknowledgeOnceAsync(stopToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Acknowledges each source partition up to the lowest position its databases have committed. A database whose
    /// pipeline is restarting counts with what it last committed, so an acknowledgement never runs ahead of a target.
    /// </summary>
    private async Task AcknowledgeOnceAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _sources.Count; i++)
        {
            if (_sources[i] is not IAcknowledgedEventSource source || _pipelines.Count == 0)
            {
                continue;
            }

            var committed = _pipelines.Values.Min(p => p[i].Committed);
            if (committed <= _acknowledged[i])
            {
                continue;
            }

            try
            {
                await source.AcknowledgeAsync(committed, cancellationToken).ConfigureAwait(false);
                _acknowledged[i] = committed;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.AcknowledgeFailed(ex, source.Name, committed);
            }
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
