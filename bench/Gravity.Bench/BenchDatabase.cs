using System.Data.Common;
using Gravity.Sync.Rules;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gravity.Bench;

/// <summary>A fresh, empty view database for one measured run (synchronizer or baseline), removed afterwards.</summary>
internal abstract class BenchDatabase : IAsyncDisposable
{
    public const string Name = "bench";

    /// <summary>Gets the databases.json entry the synchronizer writes through.</summary>
    public abstract DatabaseDefinition Definition { get; }

    /// <summary>Gets the CREATE TABLE the synchronizer itself issues for the user_profile rule (the baseline writes the same shape).</summary>
    public abstract string CreateTableSql { get; }

    /// <summary>Opens a connection with the session settings the synchronizer's dialect applies.</summary>
    public abstract Task<DbConnection> OpenAsync();

    public abstract ValueTask DisposeAsync();

    public static async Task ExecuteAsync(DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A new SQLite file in WAL mode with synchronous=NORMAL, as Gravity's SQLite dialect opens it.</summary>
internal sealed class SqliteBenchDatabase(string path) : BenchDatabase
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();

    public override DatabaseDefinition Definition => new() { Name = Name, Type = DatabaseDefinition.Sqlite, DbName = path };

    public override string CreateTableSql =>
        """CREATE TABLE IF NOT EXISTS "user_profile" ("user_id" TEXT NOT NULL, "name" TEXT NULL, "gender" TEXT NULL, "city" TEXT NULL, "birth_of_day" TEXT NULL, "address" TEXT NULL, "_gravity_position" INTEGER NOT NULL, PRIMARY KEY ("user_id"))""";

    public override async Task<DbConnection> OpenAsync()
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
        return connection;
    }

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>A new schema on the TWIST_TEST_POSTGRES server, made the connection's search path, dropped afterwards.</summary>
internal sealed class PostgresBenchDatabase : BenchDatabase
{
    private readonly string _admin;
    private readonly string _schema;
    private readonly string _connectionString;

    private PostgresBenchDatabase(string admin, string schema)
    {
        _admin = admin;
        _schema = schema;
        _connectionString = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ToString();
    }

    public override DatabaseDefinition Definition => new() { Name = Name, Type = DatabaseDefinition.Postgres, ConnectionString = _connectionString };

    public override string CreateTableSql =>
        """CREATE TABLE IF NOT EXISTS "user_profile" ("user_id" text NOT NULL, "name" text NULL, "gender" text NULL, "city" text NULL, "birth_of_day" text NULL, "address" text NULL, "_gravity_position" bigint NOT NULL, PRIMARY KEY ("user_id"))""";

    public static async Task<PostgresBenchDatabase> CreateAsync(string admin)
    {
        var schema = "gravity_bench_" + Guid.NewGuid().ToString("N")[..10];
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"CREATE SCHEMA {schema}");
        return new PostgresBenchDatabase(admin, schema);
    }

    public override async Task<DbConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public override async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {_schema} CASCADE");
    }
}
