using System.Data.Common;
using System.Text;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;
using Gravity.Sync.Targets.Sql;
using MySqlConnector;

namespace Gravity.Sync.MySql;

/// <summary>MySQL and MariaDB views (InnoDB). Tables live in the connection's database.</summary>
public sealed class MySqlDialect : GravitySqlDialect
{
    private const string ColumnsSql = """
        SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table ORDER BY ORDINAL_POSITION
        """;

    private const string UniqueKeysSql = """
        SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = @table AND NON_UNIQUE = 0
        ORDER BY INDEX_NAME, SEQ_IN_INDEX
        """;

    // Strict mode turns a value the column cannot hold into an error (the key is parked) instead of a silent truncation.
    private const string SessionSql = "SET SESSION sql_mode = IF(@@SESSION.sql_mode = '', 'STRICT_ALL_TABLES', CONCAT(@@SESSION.sql_mode, ',STRICT_ALL_TABLES'))";

    // User locks are server-wide, so the name carries the database; MySQL allows at most 64 characters.
    private const string TryLockSql = "SELECT GET_LOCK(LEFT(CONCAT('gravity_snapshot_load.', DATABASE()), 64), 0)";

    /// <summary>Gets the shared instance.</summary>
    public static MySqlDialect Instance { get; } = new();

    /// <inheritdoc />
    public override string DatabaseType => DatabaseDefinition.MySql;

    /// <inheritdoc />
    public override string BuildConnectionString(DatabaseDefinition database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new MySqlConnectionStringBuilder
        {
            Server = database.Host ?? throw new GravityRulesException($"{database.File ?? "databases"}: databases.{database.Name}: field \"host\" is missing (or give Gravity:Sync:Databases:{database.Name}:ConnectionString)."),
            Port = (uint)(database.Port ?? 3306),
            UserID = database.Username,
            Password = database.Password,
            Database = database.DbName,
            SslMode = database.Secure ? MySqlSslMode.Required : MySqlSslMode.Preferred,
        }.ToString();
    }

    /// <inheritdoc />
    public override DbConnection CreateConnection(string connectionString) => new MySqlConnection(connectionString);

    /// <inheritdoc />
    public override async Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new MySqlCommand(SessionSql, (MySqlConnection)connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string Quote(string identifier) => "`" + identifier + "`";

    /// <inheritdoc />
    /// <value><see langword="true"/>: a user lock (<c>GET_LOCK</c>) named after the database, held by the session.</value>
    public override bool SupportsSnapshotLoadLock => true;

    /// <inheritdoc />
    public override async Task<bool> TryLockSnapshotLoadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new MySqlCommand(TryLockSql, (MySqlConnection)connection);
        var result = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return result is not null and not DBNull && Convert.ToInt64(result, System.Globalization.CultureInfo.InvariantCulture) == 1;
    }

    /// <inheritdoc />
    /// <remarks>Key text is VARCHAR(255): InnoDB cannot index unbounded text.</remarks>
    public override string GetColumnType(ColumnType type, bool isKey) => type switch
    {
        ColumnType.Integer => "BIGINT",
        ColumnType.Number => "DOUBLE",
        ColumnType.Decimal => "DECIMAL(38,10)",
        ColumnType.Boolean => "BOOLEAN",
        ColumnType.Timestamp => "DATETIME(6)",
        ColumnType.Json => "JSON",
        _ => isKey ? "VARCHAR(255)" : "LONGTEXT",
    };

    /// <inheritdoc />
    public override ColumnType? ParseColumnType(string dbType)
    {
        ArgumentNullException.ThrowIfNull(dbType);
        var type = dbType.ToLowerInvariant();
        if (type.StartsWith("tinyint(1)", StringComparison.Ordinal))
        {
            return ColumnType.Boolean; // BOOLEAN is an alias of TINYINT(1)
        }

        var paren = type.IndexOfAny(['(', ' ']);
        return (paren < 0 ? type : type[..paren]) switch
        {
            "char" or "varchar" or "tinytext" or "text" or "mediumtext" or "longtext" or "enum" or "set" => ColumnType.String,
            "tinyint" or "smallint" or "mediumint" or "int" or "integer" or "bigint" => ColumnType.Integer,
            "double" or "float" or "real" => ColumnType.Number,
            "decimal" or "numeric" => ColumnType.Decimal,
            "datetime" or "timestamp" => ColumnType.Timestamp,
            "json" => ColumnType.Json,
            _ => null,
        };
    }

    /// <inheritdoc />
    public override async Task<TableShape?> ReadTableAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var columns = new List<(string, string)>();
        await using (var command = new MySqlCommand(ColumnsSql, (MySqlConnection)connection))
        {
            command.Parameters.AddWithValue("@table", table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        if (columns.Count == 0)
        {
            return null;
        }

        var keys = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using (var command = new MySqlCommand(UniqueKeysSql, (MySqlConnection)connection))
        {
            command.Parameters.AddWithValue("@table", table);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var index = reader.GetString(0);
                if (!keys.TryGetValue(index, out var list))
                {
                    keys[index] = list = [];
                }

                list.Add(reader.GetString(1));
            }
        }

        return new TableShape(columns, [.. keys.Values]);
    }

    /// <inheritdoc />
    /// <remarks>MySQL 8 has no CREATE INDEX IF NOT EXISTS, so the index is declared inside CREATE TABLE.</remarks>
    public override IReadOnlyList<string> GetSystemTableStatements() =>
    [
        "CREATE TABLE IF NOT EXISTS `gravity_checkpoints` (source VARCHAR(255) NOT NULL, partition_no INTEGER NOT NULL, partitions INTEGER NOT NULL, position BIGINT NOT NULL, updated_at BIGINT NOT NULL, PRIMARY KEY (source, partition_no)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE IF NOT EXISTS `gravity_parked` (source VARCHAR(255) NOT NULL, position BIGINT NOT NULL, op_index INTEGER NOT NULL, table_name VARCHAR(255) NOT NULL, key_text LONGTEXT NULL, event_id LONGTEXT NOT NULL, event_name LONGTEXT NOT NULL, event_key LONGTEXT NULL, payload LONGTEXT NOT NULL, trace_parent LONGTEXT NULL, trace_state LONGTEXT NULL, event_time BIGINT NOT NULL, reason LONGTEXT NOT NULL, parked_at BIGINT NOT NULL, attempts INTEGER NOT NULL, PRIMARY KEY (source, position, op_index), INDEX gravity_parked_by_key (source, table_name, key_text(200))) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
        "CREATE TABLE IF NOT EXISTS `gravity_exports` (exporter VARCHAR(255) NOT NULL, position BIGINT NOT NULL, source VARCHAR(255) NOT NULL, op_index INTEGER NOT NULL, event_id LONGTEXT NOT NULL, event_name LONGTEXT NOT NULL, table_name LONGTEXT NOT NULL, key_text LONGTEXT NOT NULL, trace_parent LONGTEXT NULL, trace_state LONGTEXT NULL, queued_at BIGINT NOT NULL, PRIMARY KEY (exporter, position, source, op_index)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    ];

    /// <inheritdoc />
    /// <value>InnoDB and utf8mb4, whatever the server's defaults, so every Unicode character fits.</value>
    public override string TableOptions => " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";

    /// <inheritdoc />
    public override string DescribeFailure(Exception exception) => exception is MySqlException { ErrorCode: MySqlErrorCode.ColumnCannotBeNull } e && e.Message.Contains(KeyConflictMarker, StringComparison.Ordinal)
        ? $"a column that must not be null got null, or the row conflicts with a different row on a unique index other than the key (MySQL reported: {e.Message})"
        : base.DescribeFailure(exception);

    /// <inheritdoc />
    /// <remarks>
    /// ON DUPLICATE KEY UPDATE fires on a conflict with any unique index, not only the key. Each key column is first
    /// set to itself when the conflicting row has the same key and to NULL otherwise; NULL in a key column fails the
    /// statement, so a clash on another unique index parks the event instead of overwriting another row.
    /// ON DUPLICATE KEY UPDATE evaluates assignments left to right, each seeing the ones before, so every column is
    /// guarded by the stored position and the position itself is assigned last.
    /// </remarks>
    public override void AppendUpsertClause(StringBuilder sql, string table, IReadOnlyList<string> keyColumns, IReadOnlyList<string> updateColumns, string? guardColumn)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(updateColumns);
        ArgumentNullException.ThrowIfNull(keyColumns);
        sql.Append(" ON DUPLICATE KEY UPDATE ");
        AppendSameKeyCheck(sql, keyColumns);
        var ordered = guardColumn is null ? updateColumns : [.. updateColumns.Where(c => c != guardColumn), guardColumn];
        sql.Append(", ").AppendJoin(", ", ordered.Select(c => guardColumn is null
            ? $"{Quote(c)} = VALUES({Quote(c)})"
            : $"{Quote(c)} = IF(VALUES({Quote(guardColumn)}) >= {Quote(guardColumn)}, VALUES({Quote(c)}), {Quote(c)})"));
    }

    /// <inheritdoc />
    public override void AppendInsertIgnoreClause(StringBuilder sql, IReadOnlyList<string> keyColumns)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(keyColumns);
        // Not INSERT IGNORE: that would also swallow conversion errors, which must park the key.
        sql.Append(" ON DUPLICATE KEY UPDATE ");
        AppendSameKeyCheck(sql, keyColumns);
    }

    private void AppendSameKeyCheck(StringBuilder sql, IReadOnlyList<string> keyColumns) =>
        sql.AppendJoin(", ", keyColumns.Select(k => $"{Quote(k)} = IF({Quote(k)} <=> VALUES({Quote(k)}), {Quote(k)}, NULL)"));

    // MySQL names the column in "Column 'x' cannot be null"; any key column of a view means the same-key check fired.
    private const string KeyConflictMarker = "cannot be null";

    /// <inheritdoc />
    public override object ToDbValue(object value, ColumnSchema column) =>
        value is DateTimeOffset time ? time.UtcDateTime : value;

    /// <inheritdoc />
    public override bool IsTransient(Exception exception) =>
        exception is MySqlException { IsTransient: true } || base.IsTransient(exception);
}
