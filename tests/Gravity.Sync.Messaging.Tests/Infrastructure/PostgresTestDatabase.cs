using Gravity.Sync.Rules;
using Gravity.Sync.Tests.Infrastructure;
using Npgsql;

namespace Gravity.Sync.Messaging.Tests.Infrastructure;

/// <summary>A fresh database on the PostgreSQL server CI starts (TWIST_TEST_POSTGRES), dropped afterwards; skipped locally without it, failed in CI.</summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    public const string Variable = "TWIST_TEST_POSTGRES";

    private readonly string _admin;
    private readonly string _database;

    private PostgresTestDatabase(string admin, string database, DatabaseDefinition definition)
    {
        _admin = admin;
        _database = database;
        Definition = definition;
    }

    public DatabaseDefinition Definition { get; }

    public static async Task<PostgresTestDatabase> CreateAsync(string name)
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            // Skipped locally without the server, as the repository's other server tests are; a broken run in CI
            // (CI set, variable missing) fails instead.
            var message = $"{Variable} is not set: this test needs a real PostgreSQL. .ci/run starts one and sets it (e.g. Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres).";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        var database = "gravity_msg_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(admin, $"CREATE DATABASE {database}");
        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ToString();
        return new PostgresTestDatabase(admin, database, new DatabaseDefinition { Name = name, Type = DatabaseDefinition.Postgres, ConnectionString = connectionString });
    }

    public async Task<List<string>> ReadAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Definition.ConnectionString);
        return await Views.ReadAsync(connection, sql);
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_admin, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
