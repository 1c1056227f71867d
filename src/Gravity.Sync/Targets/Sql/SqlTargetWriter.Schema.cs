using System.Text;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Targets.Sql;

/// <summary>Creating view tables and checking existing ones against the rules.</summary>
internal sealed partial class SqlTargetWriter
{
    private string CreateTableSql(TableRequirement table)
    {
        var sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").Append(dialect.Quote(table.Name)).Append(" (");
        foreach (var (name, type) in table.Columns)
        {
            var isKey = table.KeyColumns.Contains(name, StringComparer.Ordinal);
            sql.Append(dialect.Quote(name)).Append(' ').Append(dialect.GetColumnType(type ?? ColumnType.String, isKey));
            sql.Append(isKey ? " NOT NULL, " : " NULL, ");
        }

        sql.Append(dialect.Quote(Identifiers.PositionColumn)).Append(' ').Append(dialect.GetColumnType(ColumnType.Integer, isKey: false)).Append(" NOT NULL, ");
        sql.Append("PRIMARY KEY (").AppendJoin(", ", table.KeyColumns.Select(dialect.Quote)).Append("))").Append(dialect.TableOptions);
        return sql.ToString();
    }

    private TableSchema? Check(TableRequirement table, TableShape shape, List<string> errors)
    {
        var where = $"Table \"{table.Name}\" in database \"{Database}\"";
        var rules = string.Join(", ", table.Rules.Select(r => r.Origin.ToString()).Distinct(StringComparer.Ordinal));
        var before = errors.Count;
        var found = shape.Columns.ToDictionary(c => c.Name, c => c.DbType, StringComparer.Ordinal);
        if (!found.TryGetValue(Identifiers.PositionColumn, out var positionType) || dialect.ParseColumnType(positionType) != ColumnType.Integer)
        {
            errors.Add($"{where} has no integer column \"{Identifiers.PositionColumn}\", where Gravity keeps the source position of each row so an older event never overwrites a newer one; add it: ALTER TABLE {dialect.Quote(table.Name)} ADD {dialect.Quote(Identifiers.PositionColumn)} {dialect.GetColumnType(ColumnType.Integer, false)} NOT NULL DEFAULT 0");
        }

        if (!shape.UniqueKeys.Any(k => k.Count == table.KeyColumns.Count && k.All(table.KeyColumns.Contains)))
        {
            errors.Add($"{where} has no primary key or unique index on ({string.Join(", ", table.KeyColumns)}), the key of {rules}; upserts and deletes need one.");
        }

        var columns = new List<ColumnSchema>();
        var declaredNames = table.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        IEnumerable<(string Name, ColumnType? Type)> required = table.PassThrough
            ? [.. table.Columns, .. shape.Columns.Where(c => c.Name != Identifiers.PositionColumn && !declaredNames.Contains(c.Name)).Select(c => (c.Name, (ColumnType?)null))]
            : table.Columns;
        foreach (var (name, declared) in required)
        {
            if (!found.TryGetValue(name, out var dbType))
            {
                errors.Add($"{where} has no column \"{name}\", which {rules} write{(table.Rules.Count == 1 ? "s" : string.Empty)}; add it: ALTER TABLE {dialect.Quote(table.Name)} ADD {dialect.Quote(name)} {dialect.GetColumnType(declared ?? ColumnType.String, false)}");
                continue;
            }

            var actual = dialect.ParseColumnType(dbType);
            if (actual is null)
            {
                errors.Add($"{where}: column \"{name}\" has type {dbType}, which Gravity cannot write (it writes text, integers, floating-point and decimal numbers, booleans, timestamps and JSON).");
                continue;
            }

            if (declared is not null && declared != actual && !Compatible(declared.Value, actual.Value))
            {
                errors.Add($"{where}: column \"{name}\" has type {dbType}, but {rules} declare{(table.Rules.Count == 1 ? "s" : string.Empty)} it {declared.Value.ToString().ToLowerInvariant()}.");
                continue;
            }

            columns.Add(new ColumnSchema(name, actual.Value, dbType, table.KeyColumns.Contains(name, StringComparer.Ordinal)));
        }

        return errors.Count > before ? null : new TableSchema(table.Name, columns);
    }

    // SQLite and MySQL store JSON as text, so a column declared json may come back as text; that is not a mismatch.
    private static bool Compatible(ColumnType declared, ColumnType actual) =>
        (declared, actual) is (ColumnType.Json, ColumnType.String) or (ColumnType.String, ColumnType.Json);
}
