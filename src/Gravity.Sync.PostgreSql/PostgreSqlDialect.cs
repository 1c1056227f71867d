using System.Data.Common;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;
using Gravity.Sync.Targets.Sql;
using Npgsql;

namespace Gravity.Sync.PostgreSql;

/// <summary>PostgreSQL views. Tables live in the connection's current schema (normally <c>public</c>).</summary>
public sealed class PostgreSqlDialect : GravitySqlDialect
{
    private const string ColumnsSql = """
        SELECT column_name, data_type FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = @table ORDER BY ordinal_position
        """;

    // pg_index, not information_schema: a unique index without a constraint is just as good a conflict target.
    private const string UniqueKeysSql = """
        SELECT i.indexrelid::regclass::text, a.attname
        FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
        WHERE i.indrelid = to_regclass(quote_ident(current_schema()) || '.' || quote_ident(@table))
          AND i.indisunique AND i.indpred IS NULL
        ORDER BY 1, array_position(i.indkey::int2[], a.attnum)
        """;

    /// <summary>Gets the shared instance.</summary>
    public static PostgreSqlDialect Instance { get; } = new();

    /// <inheritdoc />
    public override string DatabaseType => DatabaseDefinition.Postgres;

    /// <inheritdoc />
    public override string BuildConnectionString(DatabaseDefinition database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new NpgsqlConnectionStringBuilder
        {
            Host = database.Host ?? throw new GravityRulesException($"{database.File ?? "databases"}: databases.{database.Name}: field \"host\" is missing (or give Gravity:Sync:Databases:{database.Name}:ConnectionString)."),
            Port = database.Port ?? 5432,
            Username = database.Username,
            Password = database.Password,
            Database = database.DbName,
            SslMode = database.Secure ? SslMode.Require : SslMode.Prefer,
        }.ToString();
    }

    /// <inheritdoc />
    public override DbConnection CreateConnection(string connectionString) => new NpgsqlConnection(connectionString);

    /// <inheritdoc />
    public override string GetColumnType(ColumnType type, bool isKey) => type switch
    {
        ColumnType.Integer => "bigint",
        ColumnType.Number => "double precision",
        ColumnType.Decimal => "numeric",
        ColumnType.Boolean => "boolean",
        ColumnType.Timestamp => "timestamp with time zone",
        ColumnType.Json => "jsonb",
        _ => "text",
    };

    /// <inheritdoc />
    public override ColumnType? ParseColumnType(string dbType) => dbType switch
    {
        "text" or "character varying" or "character" or "citext" => ColumnType.String,
        "bigint" or "integer" or "smallint" => ColumnType.Integer,
        "double precision" or "real" => ColumnType.Number,
        "numeric" => ColumnType.Decimal,
        "boolean" => ColumnType.Boolean,
        "timestamp with time zone" or "timestamp without time zone" => ColumnType.Timestamp,
        "json" or "jsonb" => ColumnType.Json,
        _ => null,
    };

    /// <inheritdoc />
    public override async Task<TableShape?> ReadTableAsync(DbConnection connection, string table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var columns = new List<(string, string)>();
        await using (var command = new NpgsqlCommand(ColumnsSql, (NpgsqlConnection)connection))
        {
            command.Parameters.AddWithValue("table", table);
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
        await using (var command = new NpgsqlCommand(UniqueKeysSql, (NpgsqlConnection)connection))
        {
            command.Parameters.AddWithValue("table", table);
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
    /// <remarks>Text parameters do not convert to json/jsonb implicitly, so those columns get an explicit cast.</remarks>
    public override string ParameterExpression(string parameterName, ColumnSchema column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return column.DbType is "jsonb" or "json" ? $"CAST({parameterName} AS {column.DbType})" : parameterName;
    }

    /// <inheritdoc />
    public override object ToDbValue(object value, ColumnSchema column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return value is DateTimeOffset time && column.DbType == "timestamp without time zone"
            ? DateTime.SpecifyKind(time.UtcDateTime, DateTimeKind.Unspecified) // a UTC wall-clock time, not converted by the session time zone
            : value;
    }
}
