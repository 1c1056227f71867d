using Gravity.Sync.Diagnostics;
using Gravity.Sync.Engine;
using Gravity.Sync.Hosting;
using Gravity.Sync.Operations;
using Gravity.Sync.Rules;
using Microsoft.Extensions.Logging;

namespace Gravity.Sync.Snapshots;

/// <summary>
/// The snapshot side of one synchronizer run: a gate per database, where each database may be filled from
/// (<c>SnapshotFrom</c>, an operator reset, or the origin of an interrupted load), and the checks that make a copy
/// trustworthy: the origin must write the same tables with the same rules, or be a registered snapshot source.
/// </summary>
internal sealed class SnapshotCoordinator : IDisposable
{
    private readonly GravityRuleSet _ruleSet;
    private readonly GravitySyncOptions _options;
    private readonly Dictionary<string, DatabaseTarget> _targets;
    private readonly Dictionary<string, IGravitySnapshotSource> _sources;
    private readonly Dictionary<string, SnapshotGate> _gates = new(StringComparer.Ordinal);
    private readonly List<string> _registrationErrors = [];
    private readonly Func<IReadOnlyList<string>> _lanes;
    private readonly CancellationToken _shutdown;
    private readonly ILogger _logger;

    public SnapshotCoordinator(
        GravityRuleSet ruleSet,
        IReadOnlyList<DatabaseTarget> targets,
        GravitySyncOptions options,
        IEnumerable<IGravitySnapshotSource> sources,
        Func<IReadOnlyList<string>> lanes,
        TimeProvider clock,
        ILogger logger,
        SyncInstruments instruments,
        CancellationToken shutdown)
    {
        _ruleSet = ruleSet;
        _options = options;
        _lanes = lanes;
        _shutdown = shutdown;
        _logger = logger;
        _targets = targets.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _sources = new Dictionary<string, IGravitySnapshotSource>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            if (string.IsNullOrEmpty(source.Name) || _ruleSet.Databases.ContainsKey(source.Name) || !_sources.TryAdd(source.Name, source))
            {
                _registrationErrors.Add($"Snapshot source \"{source.Name}\" ({source.GetType().Name}) needs a name of its own: it is empty, registered twice, or the name of a database.");
            }
        }

        foreach (var target in targets)
        {
            if (target.Writer is ISnapshotStore store)
            {
                var from = SnapshotFromOf(target.Name)?.From;
                var loader = new SnapshotLoader(target, options, clock, logger, instruments);
                _gates[target.Name] = new SnapshotGate(this, target, store, loader, from, logger);
            }
        }
    }

    public SnapshotGate? GateFor(string database) => _gates.GetValueOrDefault(database);

    public void Dispose()
    {
        foreach (var gate in _gates.Values)
        {
            gate.Dispose();
        }
    }

    /// <summary>Gets the source lanes this instance reads now.</summary>
    public IReadOnlyList<string> Sources() => _lanes();

    /// <summary>Checks every <c>SnapshotFrom</c> at start-up; the messages name the configuration key or the databases.json field.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>(_registrationErrors);
        foreach (var (database, settings) in _options.Databases)
        {
            if (settings.SnapshotFrom is not null && !_targets.ContainsKey(database))
            {
                errors.Add($"{ConfigurationKey(database)} is set, but no rule writes database \"{database}\" (the synchronizer writes {Names(_targets.Keys)}).");
            }
        }

        foreach (var database in _targets.Keys)
        {
            if (SnapshotFromOf(database) is not { } setting)
            {
                continue;
            }

            if (!_gates.ContainsKey(database))
            {
                errors.Add($"{setting.Where} is set, but the writer of database \"{database}\" cannot be filled from a snapshot.");
            }
            else if (Problem(database, setting.From) is { } problem)
            {
                errors.Add($"{setting.Where} is \"{setting.From}\": {problem}");
            }
        }

        return errors;
    }

    public IGravitySnapshotSource Resolve(string database, string from) =>
        Problem(database, from) is { } problem ? throw new ArgumentException(problem, nameof(from)) : Origin(from);

    public IGravitySnapshotSource ResolveInterrupted(string database, string from) =>
        Problem(database, from) is { } problem
            ? throw new InvalidOperationException($"Database \"{database}\" was being filled from a snapshot of \"{from}\" when it stopped, and cannot be loaded from it again: {problem} Its tables stay incomplete until an operator resets it from another origin.")
            : Origin(from);

    public async Task<SnapshotResult> ResetAsync(string database, string from, CancellationToken cancellationToken)
    {
        var gate = _gates.GetValueOrDefault(database) ?? throw new ArgumentException(
            _targets.ContainsKey(database)
                ? $"The writer of database \"{database}\" cannot be filled from a snapshot."
                : $"Database \"{database}\" is not one the synchronizer writes (it writes {Names(_targets.Keys)}).",
            nameof(database));
        var source = Resolve(database, from);
        if (_shutdown.IsCancellationRequested)
        {
            throw new InvalidOperationException("The synchronizer is stopping; reset the database once it runs again.");
        }

        _logger.SnapshotResetRequested(database, from);

        // Checked synchronously above, so a caller sees a bad name at once; the load itself runs off the caller's thread.
        await Task.Yield();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown);
        return await gate.ResetAsync(from, source, linked.Token).ConfigureAwait(false);
    }

    /// <summary>
    /// Where a database is filled from when new, and where that is set: configuration
    /// (<c>Gravity:Sync:Databases:&lt;name&gt;:SnapshotFrom</c>) replaces databases.json's <c>snapshotFrom</c>, as it replaces
    /// the file's connection settings, so one environment can pick another origin without editing the shared file.
    /// </summary>
    private (string From, string Where)? SnapshotFromOf(string database)
    {
        if (_options.Databases.TryGetValue(database, out var settings) && settings.SnapshotFrom is { } configured)
        {
            return (configured, ConfigurationKey(database));
        }

        return _ruleSet.Databases.TryGetValue(database, out var definition) && definition.SnapshotFrom is { } declared
            ? (declared, $"{definition.File ?? "databases"}: databases.{database}: field \"snapshotFrom\"")
            : null;
    }

    private static string ConfigurationKey(string database) => $"{GravitySyncOptions.SectionName}:Databases:{database}:SnapshotFrom";

    private IGravitySnapshotSource Origin(string from) =>
        _sources.TryGetValue(from, out var registered) ? registered : new DatabaseSnapshotSource(from, (ISnapshotStore)_targets[from].Writer);

    /// <summary>Tells why <paramref name="database"/> cannot be a copy of <paramref name="from"/>, or <see langword="null"/> when it can.</summary>
    private string? Problem(string database, string from)
    {
        if (from == database)
        {
            return $"database \"{database}\" cannot be filled from itself; name another database with the same rules, or a snapshot source.";
        }

        if (_sources.ContainsKey(from))
        {
            return null;
        }

        if (!_targets.TryGetValue(from, out var origin))
        {
            return $"\"{from}\" is neither a database this synchronizer writes ({Names(_targets.Keys)}) nor a registered snapshot source ({Names(_sources.Keys)}).";
        }

        if (origin.Writer is not ISnapshotStore)
        {
            return $"the writer of database \"{from}\" cannot be read as a snapshot.";
        }

        var target = _targets[database];
        foreach (var table in target.Tables.Values)
        {
            var mine = Signatures(database, table.Name);
            var theirs = Signatures(from, table.Name);
            if (theirs.Count == 0 || !origin.Tables.TryGetValue(table.Name, out var originTable))
            {
                return $"database \"{from}\" has no rule writing table \"{table.Name}\", which \"{database}\" needs.";
            }

            if (!mine.SequenceEqual(theirs, StringComparer.Ordinal))
            {
                return $"the rules writing table \"{table.Name}\" differ between \"{database}\" and \"{from}\", so a copy of \"{from}\" is not what the events make of \"{database}\"; give both the same rules for the table.";
            }

            foreach (var column in table.Columns)
            {
                if (!originTable.TryGetColumn(column.Name, out var theirColumn))
                {
                    return $"table \"{table.Name}\" of database \"{from}\" has no column \"{column.Name}\", which \"{database}\" has.";
                }

                if (theirColumn.Type != column.Type && !(theirColumn.Type is Rules.ColumnType.Json or Rules.ColumnType.String && column.Type is Rules.ColumnType.Json or Rules.ColumnType.String))
                {
                    return $"column \"{column.Name}\" of table \"{table.Name}\" is {theirColumn.DbType} in \"{from}\" but {column.DbType} in \"{database}\".";
                }
            }
        }

        return null;
    }

    /// <summary>What decides a table's rows: the rules writing it (in order), without the database they name.</summary>
    private List<string> Signatures(string database, string table) =>
        [.. _ruleSet.Rules.Where(r => r.Database == database && r.Table == table)
            .Select(r => $"{r.Event}|{r.Method}|{string.Join(",", r.Mapping)}|{string.Join(",", r.KeyColumns)}|{string.Join(",", r.KeySources)}")];

    private static string Names(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
