using Npgsql;
using Twist.Coordinator.PostgreSql.Tests;

[assembly: AssemblyFixture(typeof(PostgreSqlServer))]

namespace Twist.Coordinator.PostgreSql.Tests;

/// <summary>
/// The server named by <c>TWIST_TEST_POSTGRES</c>. Store tests get a fresh schema each in one database created for
/// this run (a schema costs far less than a database, and tests run in parallel); hosting tests that use the default
/// schema get a fresh database each. Everything is dropped at the end. Without the variable every test is skipped.
/// </summary>
public sealed class PostgreSqlServer : IAsyncLifetime
{
    public const string EnvironmentVariable = "TWIST_TEST_POSTGRES";

    private static readonly string SkipReason =
        $"PostgreSQL tests need a server: set {EnvironmentVariable} to a connection string whose user may CREATE DATABASE, e.g. 'Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres'.";

    private readonly string? _admin = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : null;
    private string? _database;

    /// <summary>Gets the connection string of the database shared by this run's store tests.</summary>
    public string ConnectionString => _database ?? throw new InvalidOperationException("The PostgreSQL test server is not configured.");

    public async ValueTask InitializeAsync()
    {
        if (_admin is not null)
        {
            _database = await CreateDatabaseCoreAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            await DropDatabaseAsync(_database);
        }
    }

    /// <summary>Returns a schema name no other test uses, or skips the test when no server is configured.</summary>
    public string NewSchema()
    {
        Assert.SkipWhen(_admin is null, SkipReason);
        return $"t_{Guid.NewGuid():N}";
    }

    /// <summary>Drops a schema made by a store test.</summary>
    public async Task DropSchemaAsync(string schema)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Creates a database for one test, or skips the test when no server is configured.</summary>
    /// <returns>Its connection string; pass it to <see cref="DropDatabaseAsync"/> after the test.</returns>
    public async Task<string> CreateDatabaseAsync()
    {
        Assert.SkipWhen(_admin is null, SkipReason);
        return await CreateDatabaseCoreAsync();
    }

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>.</summary>
    public async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;

        // Pools keep idle connections to the database; FORCE ends those of other processes too.
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private async Task<string> CreateDatabaseCoreAsync()
    {
        var name = $"twist_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(_admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        // Small pools: tests run in parallel, each with a few stores, against a server that may allow only 100 connections.
        return new NpgsqlConnectionStringBuilder(_admin) { Database = name, MaxPoolSize = 8 }.ConnectionString;
    }
}
