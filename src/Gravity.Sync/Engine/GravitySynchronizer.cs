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
/// Owns one pipeline per database. Start-up loads and validates the rules, checks that every database type and
/// exporter type has an implementation, prepares the tables, then starts the pipelines; failures there fail the host.
/// </summary>
internal sealed partial class GravitySynchronizer(
    IOptions<GravitySyncOptions> options,
    RuleSetProvider rules,
    IEventSource source,
    IEnumerable<ITargetWriterFactory> writerFactories,
    IEnumerable<IGravityExporter> exporters,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory,
    SyncInstruments instruments) : IGravitySyncOperator, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Gravity.Sync.Synchronizer");
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private readonly List<IDisposable> _lagRegistrations = [];
    private Dictionary<string, TargetPipeline> _pipelines = new(StringComparer.Ordinal);
    private Task _running = Task.CompletedTask;
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
        var pipelines = new Dictionary<string, TargetPipeline>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var (definition, factory) in databases)
        {
            var writer = factory.Create(definition);
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
            var context = new TargetContext
            {
                Database = definition.Name,
                Source = source.Name,
                Writer = writer,
                Mapper = new EventMapper(compiled),
                Tables = byName,
                Partitions = partitions,
                Options = o,
                Clock = timeProvider,
                Logger = loggerFactory.CreateLogger("Gravity.Sync.Pipeline"),
                Instruments = instruments,
                Exports = exports,
            };
            pipelines[definition.Name] = new TargetPipeline(context, source);
            _logger.TargetReady(definition.Name, string.Join(", ", tables.Select(t => t.Name)));
        }

        if (errors.Count > 0)
        {
            throw new GravityRulesException(errors);
        }

        RuleSet = ruleSet;
        _pipelines = pipelines;
        foreach (var pipeline in pipelines.Values)
        {
            _lagRegistrations.Add(instruments.TrackLag(pipeline.ObserveLag));
        }

        _running = Task.WhenAll(pipelines.Values.Select(p => p.RunAsync(_stop.Token, _abort.Token)));
        _logger.SynchronizerStarted(ruleSet.Rules.Count, string.Join(", ", pipelines.Keys), source.Name, pipelines.Values.Sum(p => p.Context.Partitions));
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
        foreach (var pipeline in _pipelines.Values)
        {
            await pipeline.Context.Writer.DisposeAsync().ConfigureAwait(false);
        }

        _stop.Dispose();
        _abort.Dispose();
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
