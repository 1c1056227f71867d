using System.Globalization;
using Gravity.Sync.Rules.Json;

namespace Gravity.Sync.Rules;

/// <summary>
/// Collects rule declarations, databases and exporters (from files or code), then validates and resolves them into a
/// <see cref="GravityRuleSet"/>. Every problem is reported at once by <see cref="Build"/>.
/// </summary>
public sealed partial class GravityRuleSetBuilder
{
    private readonly List<RuleDeclaration> _rules = [];
    private readonly Dictionary<string, DatabaseDefinition> _databases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExporterDefinition> _exporters = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];

    /// <summary>Gets or sets the database that table rules naming no database (and with none attached to their event) write to.</summary>
    /// <value>The default value is <see langword="null"/>: such rules are an error.</value>
    public string? DefaultDatabase { get; set; }

    /// <summary>Adds a rule declaration.</summary>
    /// <param name="rule">The declaration.</param>
    /// <returns>This builder.</returns>
    public GravityRuleSetBuilder AddRule(RuleDeclaration rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _rules.Add(rule);
        return this;
    }

    /// <summary>Adds rule declarations, e.g. the ones the source generator writes for <see cref="ProjectionAttribute"/> event types.</summary>
    /// <param name="rules">The declarations.</param>
    /// <returns>This builder.</returns>
    public GravityRuleSetBuilder AddRules(IEnumerable<RuleDeclaration> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        foreach (var rule in rules)
        {
            AddRule(rule);
        }

        return this;
    }

    /// <summary>Adds a database; a later database with the same name replaces the earlier one.</summary>
    /// <param name="database">The database.</param>
    /// <returns>This builder.</returns>
    public GravityRuleSetBuilder AddDatabase(DatabaseDefinition database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _databases[database.Name] = database;
        return this;
    }

    /// <summary>Adds a database unless one with the same name is already declared (e.g. by databases.json).</summary>
    /// <param name="database">The database.</param>
    /// <returns><see langword="true"/> when it was added; <see langword="false"/> when the name was taken, which is left as it was.</returns>
    public bool TryAddDatabase(DatabaseDefinition database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return _databases.TryAdd(database.Name, database);
    }

    /// <summary>Adds an exporter; a later exporter with the same name replaces the earlier one.</summary>
    /// <param name="exporter">The exporter.</param>
    /// <returns>This builder.</returns>
    public GravityRuleSetBuilder AddExporter(ExporterDefinition exporter)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        _exporters[exporter.Name] = exporter;
        return this;
    }

    /// <summary>Adds an exporter unless one with the same name is already declared (e.g. by exporter.json).</summary>
    /// <param name="exporter">The exporter.</param>
    /// <returns><see langword="true"/> when it was added; <see langword="false"/> when the name was taken, which is left as it was.</returns>
    public bool TryAddExporter(ExporterDefinition exporter)
    {
        ArgumentNullException.ThrowIfNull(exporter);
        return _exporters.TryAdd(exporter.Name, exporter);
    }

    /// <summary>Adds the rules of a rules.json document (the seed's format).</summary>
    /// <param name="fileName">The file name used in error messages.</param>
    /// <param name="utf8Json">The document.</param>
    /// <returns>This builder.</returns>
    public GravityRuleSetBuilder AddRulesJson(string fileName, ReadOnlySpan<byte> utf8Json)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        foreach (var rule in RulesFileReader.Read(fileName, utf8Json, _errors))
        {
            _rules.Add(rule);
        }

        return this;
    }

    /// <summary>Adds the databases of a databases.json document (the seed's format).</summary>
    /// <param name="fileName">The file name used in error messages.</param>
    /// <param name="utf8Json">The document.</param>
    /// <returns>This builder.</returns>
    public GravityRuleSetBuilder AddDatabasesJson(string fileName, ReadOnlySpan<byte> utf8Json)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        foreach (var database in DatabasesFileReader.Read(fileName, utf8Json, _errors))
        {
            AddDatabase(database);
        }

        return this;
    }

    /// <summary>Adds the exporters of an exporter.json document (the seed's format).</summary>
    /// <param name="fileName">The file name used in error messages.</param>
    /// <param name="utf8Json">The document.</param>
    /// <returns>This builder.</returns>
    public GravityRuleSetBuilder AddExportersJson(string fileName, ReadOnlySpan<byte> utf8Json)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        foreach (var exporter in ExportersFileReader.Read(fileName, utf8Json, _errors))
        {
            AddExporter(exporter);
        }

        return this;
    }

    /// <summary>Validates everything added and resolves it into a rule set.</summary>
    /// <returns>The rule set.</returns>
    /// <exception cref="GravityRulesException">Something is invalid; the message lists every problem with its file, rule and field.</exception>
    public GravityRuleSet Build()
    {
        var errors = new List<string>(_errors);
        foreach (var database in _databases.Values)
        {
            ValidateDatabase(database, errors);
        }

        var attached = CollectAttachments(errors);
        var resolved = new List<ProjectionRule>();
        foreach (var declaration in _rules.Where(r => r.Table is not null))
        {
            Resolve(declaration, attached, resolved, errors);
        }

        CheckEachEventFeedsATableOnce(resolved, errors);
        CheckTablesAgree(resolved, errors);
        if (errors.Count > 0)
        {
            throw new GravityRulesException(errors);
        }

        return new GravityRuleSet(resolved, new Dictionary<string, DatabaseDefinition>(_databases, StringComparer.Ordinal), new Dictionary<string, ExporterDefinition>(_exporters, StringComparer.Ordinal));
    }

    private static string Where(RuleDeclaration rule) => $"{rule.Origin} (event \"{rule.Event}\")";

    private Dictionary<string, List<(string Database, RuleDeclaration Rule)>> CollectAttachments(List<string> errors)
    {
        // Rules that name only databases/exporters attach them to the event's table rules (seed: "在多個資料庫上建立視圖").
        var attached = new Dictionary<string, List<(string, RuleDeclaration)>>(StringComparer.Ordinal);
        foreach (var rule in _rules.Where(r => r.Table is null))
        {
            CheckEvent(rule, errors);
            if (rule.Method is not null)
            {
                errors.Add($"{Where(rule)}: field \"method\" needs a \"table\" to apply to.");
            }

            if (rule.Mapping is { Count: > 0 } || rule.PrimaryKey is { Count: > 0 })
            {
                errors.Add($"{Where(rule)}: field \"mapping\" needs a \"table\" to write to.");
            }

            if (rule.Databases.Count == 0 && rule.Exporters.Count == 0)
            {
                errors.Add($"{Where(rule)}: the rule has no \"table\", \"database\" or \"exporter\", so it does nothing.");
            }

            if (rule.Databases.Count == 0 && rule.Exporters.Count > 0)
            {
                errors.Add($"{Where(rule)}: field \"exporter\" needs a \"database\": exporters announce events applied to a database.");
            }

            CheckReferences(rule, errors);
            foreach (var database in rule.Databases)
            {
                if (!attached.TryGetValue(rule.Event, out var list))
                {
                    attached[rule.Event] = list = [];
                }

                list.Add((database, rule));
            }
        }

        return attached;
    }

    private void Resolve(RuleDeclaration rule, Dictionary<string, List<(string Database, RuleDeclaration Rule)>> attached, List<ProjectionRule> resolved, List<string> errors)
    {
        var before = errors.Count;
        CheckEvent(rule, errors);
        if (!Identifiers.IsValid(rule.Table))
        {
            errors.Add($"{Where(rule)}: field \"table\": \"{rule.Table}\" is not a valid table name ({Identifiers.Rule}).");
        }

        var method = rule.Method ?? ProjectionMethod.Upsert;
        var mapping = rule.Mapping ?? [];
        CheckMapping(rule, mapping, errors);
        var (keyColumns, keySources) = ResolveKey(rule, mapping, method, errors);
        CheckReferences(rule, errors);

        // Own databases win; otherwise the event's attached ones; otherwise the default.
        var targets = new List<(string Database, IReadOnlyList<string> Exporters)>();
        if (rule.Databases.Count > 0)
        {
            foreach (var database in rule.Databases.Distinct(StringComparer.Ordinal))
            {
                // Exporters attached to the same event and database still apply to a rule that names its database.
                var extra = attached.TryGetValue(rule.Event, out var sameEvent) ? sameEvent.Where(a => a.Database == database).SelectMany(a => a.Rule.Exporters) : [];
                targets.Add((database, [.. rule.Exporters.Concat(extra).Distinct(StringComparer.Ordinal)]));
            }
        }
        else if (attached.TryGetValue(rule.Event, out var list))
        {
            foreach (var group in list.GroupBy(a => a.Database, StringComparer.Ordinal))
            {
                IReadOnlyList<string> exporters = [.. rule.Exporters.Concat(group.SelectMany(a => a.Rule.Exporters)).Distinct(StringComparer.Ordinal)];
                targets.Add((group.Key, exporters));
            }
        }
        else if (DefaultDatabase is not null)
        {
            targets.Add((DefaultDatabase, rule.Exporters));
            if (!_databases.ContainsKey(DefaultDatabase))
            {
                errors.Add($"{Where(rule)}: the rule names no database and the default database \"{DefaultDatabase}\" is not defined in databases.json.");
            }
        }
        else
        {
            errors.Add($"{Where(rule)}: the rule names no \"database\" and no rule {{\"event\":\"{rule.Event}\",\"database\":\"…\"}} attaches one; add one (or configure a default database).");
        }

        if (errors.Count > before)
        {
            return;
        }

        foreach (var (database, exporters) in targets)
        {
            resolved.Add(new ProjectionRule
            {
                Event = rule.Event,
                Table = rule.Table!,
                Method = method,
                Mapping = mapping,
                KeyColumns = keyColumns,
                KeySources = keySources,
                Database = database,
                Exporters = exporters,
                Origin = rule.Origin,
            });
        }
    }

    private static void CheckEvent(RuleDeclaration rule, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(rule.Event))
        {
            errors.Add($"{rule.Origin}: field \"event\" is missing or empty.");
        }
    }

    private static void CheckMapping(RuleDeclaration rule, IReadOnlyList<ColumnMapping> mapping, List<string> errors)
    {
        var targets = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < mapping.Count; i++)
        {
            var entry = mapping[i];
            if (string.IsNullOrEmpty(entry.Source))
            {
                errors.Add($"{Where(rule)}: field \"mapping[{i}].source\" is missing or empty.");
            }

            if (!Identifiers.IsValid(entry.Target))
            {
                errors.Add($"{Where(rule)}: field \"mapping[{i}].target\": \"{entry.Target}\" is not a valid column name ({Identifiers.Rule}).");
            }
            else if (!targets.Add(entry.Target))
            {
                errors.Add($"{Where(rule)}: field \"mapping[{i}].target\": column \"{entry.Target}\" is mapped twice.");
            }
            else if (entry.Target.Equals(Identifiers.PositionColumn, StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{Where(rule)}: field \"mapping[{i}].target\": column \"{entry.Target}\" is reserved for Gravity's source position.");
            }
        }
    }

    private static (IReadOnlyList<string> Columns, IReadOnlyList<string> Sources) ResolveKey(RuleDeclaration rule, IReadOnlyList<ColumnMapping> mapping, ProjectionMethod method, List<string> errors)
    {
        var columns = new List<string>();
        var sources = new List<string>();
        foreach (var entry in mapping.Where(m => m.Primary))
        {
            columns.Add(entry.Target);
            sources.Add(entry.Source);
        }

        if (rule.PrimaryKey is { Count: > 0 } primaryKey)
        {
            if (columns.Count > 0)
            {
                if (!primaryKey.SequenceEqual(sources, StringComparer.Ordinal) && !primaryKey.SequenceEqual(columns, StringComparer.Ordinal))
                {
                    errors.Add($"{Where(rule)}: field \"primaryKey\" ({string.Join(", ", primaryKey)}) disagrees with the mapping entries marked \"primary\" ({string.Join(", ", sources)}).");
                }
            }
            else if (mapping.Count == 0)
            {
                // Pass-through: payload fields and columns share names.
                columns.AddRange(primaryKey);
                sources.AddRange(primaryKey);
                foreach (var key in primaryKey.Where(k => !Identifiers.IsValid(k)))
                {
                    errors.Add($"{Where(rule)}: field \"primaryKey\": \"{key}\" is not a valid column name ({Identifiers.Rule}).");
                }
            }
            else
            {
                foreach (var key in primaryKey)
                {
                    var entry = mapping.FirstOrDefault(m => m.Source == key) ?? mapping.FirstOrDefault(m => m.Target == key);
                    if (entry is null)
                    {
                        errors.Add($"{Where(rule)}: field \"primaryKey\": \"{key}\" is not a source or target of the mapping.");
                        continue;
                    }

                    columns.Add(entry.Target);
                    sources.Add(entry.Source);
                }
            }
        }

        if (columns.Count == 0 && method != ProjectionMethod.Truncate)
        {
            errors.Add($"{Where(rule)}: field \"mapping\": no entry has \"primary\": true, so the rows of table \"{rule.Table}\" have no key (method {method.ToString().ToLowerInvariant()} needs one).");
        }

        return (columns, sources);
    }

    private void CheckReferences(RuleDeclaration rule, List<string> errors)
    {
        foreach (var database in rule.Databases.Where(d => !_databases.ContainsKey(d)))
        {
            errors.Add($"{Where(rule)}: field \"{rule.Origin.Field("database")}\": \"{database}\" is not defined in databases.json{Known(_databases.Keys)}.");
        }

        foreach (var exporter in rule.Exporters.Where(e => !_exporters.ContainsKey(e)))
        {
            errors.Add($"{Where(rule)}: field \"{rule.Origin.Field("exporter")}\": \"{exporter}\" is not defined in exporter.json{Known(_exporters.Keys)}.");
        }
    }

    private static string Known(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? " (none is defined)" : $" (defined: {string.Join(", ", list)})";
    }

    private static void ValidateDatabase(DatabaseDefinition database, List<string> errors)
    {
        var where = $"{database.File ?? "databases"}: databases.{database.Name}";
        if (!Identifiers.IsValid(database.Name))
        {
            errors.Add($"{where}: the database name is not valid ({Identifiers.Rule}).");
        }

        if (database.Type is not (DatabaseDefinition.Postgres or DatabaseDefinition.MySql or DatabaseDefinition.Sqlite))
        {
            errors.Add($"{where}: field \"type\": \"{database.Type}\" is not one of postgres, mysql, sqlite.");
        }

        if (database.Port is < 1 or > 65535)
        {
            errors.Add($"{where}: field \"port\": {database.Port?.ToString(CultureInfo.InvariantCulture)} is not a TCP port (1-65535).");
        }

        if (database.ConnectionString is null && database.Type == DatabaseDefinition.Sqlite && string.IsNullOrWhiteSpace(database.DbName))
        {
            errors.Add($"{where}: field \"dbName\" is missing; for sqlite it is the database file path.");
        }

        if (database.SnapshotFrom is { } from && (string.IsNullOrWhiteSpace(from) || from == database.Name))
        {
            errors.Add(string.IsNullOrWhiteSpace(from)
                ? $"{where}: field \"snapshotFrom\" is empty; name the database to copy, or remove the field."
                : $"{where}: field \"snapshotFrom\": database \"{from}\" cannot be filled from itself; name another database with the same rules, or a snapshot source.");
        }
    }

    private static void CheckEachEventFeedsATableOnce(List<ProjectionRule> rules, List<string> errors)
    {
        // A [Projection] and another declaration of the same event into the same table (typically the rules.json rule the
        // attribute replaced) would both write every row, and which one wins would depend on the order of declaration.
        // rules.json alone keeps the seed's semantics: every matching rule fires.
        foreach (var group in rules.GroupBy(r => (r.Event, r.Table, r.Database)).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var rule in group.Skip(1).Where(r => r.Origin != first.Origin && (r.Origin.DeclaringType is not null || first.Origin.DeclaringType is not null)))
            {
                errors.Add($"{rule}: {first.Origin} already projects event \"{rule.Event}\" into this table; declare it once (remove one of the two rules).");
            }
        }
    }

    private static void CheckTablesAgree(List<ProjectionRule> rules, List<string> errors)
    {
        // Rules sharing a table in one database share its rows, so they must agree on the key and the column types.
        foreach (var group in rules.GroupBy(r => (r.Database, r.Table)))
        {
            var first = group.FirstOrDefault(r => r.Method != ProjectionMethod.Truncate);
            if (first is null)
            {
                continue;
            }

            var types = new Dictionary<string, (ColumnType Type, ProjectionRule Rule)>(StringComparer.Ordinal);
            foreach (var rule in group)
            {
                if (rule.Method != ProjectionMethod.Truncate && !rule.KeyColumns.SequenceEqual(first.KeyColumns, StringComparer.Ordinal))
                {
                    errors.Add($"{rule}: the key ({string.Join(", ", rule.KeyColumns)}) differs from the key ({string.Join(", ", first.KeyColumns)}) of {first.Origin} for the same table.");
                }

                foreach (var mapping in rule.Mapping.Where(m => m.Type is not null))
                {
                    if (types.TryGetValue(mapping.Target, out var seen) && seen.Type != mapping.Type)
                    {
                        errors.Add($"{rule}: column \"{mapping.Target}\" has type {mapping.Type} here but {seen.Type} in {seen.Rule.Origin}.");
                    }
                    else
                    {
                        types[mapping.Target] = (mapping.Type!.Value, rule);
                    }
                }
            }
        }
    }
}
