using System.Data.Common;
using System.Globalization;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets.Sql;
using Microsoft.Data.Sqlite;

namespace Gravity.Sync.Targets.Sqlite;

/// <summary>SQLite views (the embedded default). One writer at a time, so one partition by default.</summary>
public sealed class SqliteDialect : GravitySqlDialect
{
    /// <summary>Gets the shared instance.</summary>
    public static SqliteDialect Instance { get; } = new();

    /// <inheritdoc />
    public override string DatabaseType => DatabaseDefinition.Sqlite;

    /// <inheritdoc />
    /// <value>1: SQLite serializes writers, so parallel partitions would only wait for each other.</value>
    public override int DefaultPartitions => 1;

    /// <inheritdoc />
    /// <value>
    /// 1: there is no round trip to save, and a statement of hundreds of rows costs more to parse and bind (SQLite
    /// finds each named parameter by a linear search) than re-running one prepared single-row statement per row.
    /// </value>
    public override int MaxRowsPerStatement => 1;

    /// <inheritdoc />
    public override string BuildConnectionString(DatabaseDefinition database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new SqliteConnectionStringBuilder { DataSource = database.DbName, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <inheritdoc />
    public override DbConnection CreateConnection(string connectionString) => new SqliteConnection(connectionString);

    /// <inheritdoc />
    public override async Task OnOpenedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // WAL lets readers query the views while Gravity writes them.
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A deferred transaction: in WAL mode its first read fixes what it sees, and it takes no write lock, so the
    /// synchronizer keeps writing this database while a snapshot of it is read.
    /// </remarks>
    public override Task<DbTransaction> BeginSnapshotReadAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));
    }

    /// <inheritdoc />
    /// <remarks>
    /// The names are chosen for SQLite's type affinity: INTEGER, REAL and TEXT keep values as they are; BOOLEAN,
    /// DECIMAL, TIMESTAMP and JSON are read back by name so the logical type survives a restart.
    /// </remarks>
    public override string GetColumnType(ColumnType type, bool isKey) => type switch
    {
        ColumnType.Integer => "INTEGER",
        ColumnType.Number => "REAL",
        ColumnType.Decimal => "DECIMAL",
        ColumnType.Boolean => "BOOLEAN",
        ColumnType.Timestamp => "TIMESTAMP",
        ColumnType.Json => "JSON",
        _ => "TEXT",
    };

    /// <inheritdoc />
    public override ColumnType? ParseColumnType(string dbType)
    {
        ArgumentNullException.ThrowIfNull(dbType);
        var type = dbType.ToUpperInvariant();
        return type switch
        {
            "BOOLEAN" or "BOOL" => ColumnType.Boolean,
            "DECIMAL" or "NUMERIC" => ColumnType.Decimal,
            "TIMESTAMP" or "DATETIME" => ColumnType.Timestamp,
            "JSON" => ColumnType.Json,
            _ when type.Contains("INT", StringComparison.Ordinal) => ColumnType.Integer,
            _ when type.Contains("REAL", StringComparison.Ordinal) || type.Contains("FLOA", StringComparison.Ordinal) || type.Contains("DOUB", StringComparison.Ordinal) => ColumnType.Number,
            _ when type.Contains("BLOB", StringComparison.Ordinal) => null,
            _ => ColumnType.String, // TEXT, VARCHAR(n), CLOB and an empty type all hold text
        };
    }

    /// <inheritdoc />
    public override async Task<TableShape?> ReadTableAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var columns = new List<(string, string)>();
        var primaryKey = new SortedList<long, string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT name, type, pk FROM pragma_table_info(@table)";
            command.Parameters.Add(new SqliteParameter("@table", table));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
                var pk = reader.GetInt64(2);
                if (pk > 0)
                {
                    primaryKey.Add(pk, reader.GetString(0));
                }
            }
        }

        if (columns.Count == 0)
        {
            return null;
        }

        var keys = new List<IReadOnlyList<string>>();
        if (primaryKey.Count > 0)
        {
            keys.Add([.. primaryKey.Values]);
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT il.name, ii.name FROM pragma_index_list(@table) il JOIN pragma_index_info(il.name) ii WHERE il.\"unique\" = 1 AND il.partial = 0 ORDER BY il.name, ii.seqno";
            command.Parameters.Add(new SqliteParameter("@table", table));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            var indexes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var name = reader.GetString(0);
                if (!indexes.TryGetValue(name, out var list))
                {
                    indexes[name] = list = [];
                }

                list.Add(reader.GetString(1));
            }

            keys.AddRange(indexes.Values);
        }

        return new TableShape(columns, keys);
    }

    /// <inheritdoc />
    public override object ToDbValue(object value, ColumnSchema column) => value switch
    {
        // Round-trip ISO 8601 text sorts and compares correctly as text.
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture),
        decimal number => number.ToString(CultureInfo.InvariantCulture),
        _ => value,
    };

    /// <inheritdoc />
    public override bool IsTransient(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: 5 or 6 } || base.IsTransient(exception); // SQLITE_BUSY, SQLITE_LOCKED
}
