using System.Data.Common;
using Gravity.Sync.Rules;

namespace Gravity.Sync.IntegrationTests.Infrastructure;

/// <summary>
/// A database server from the environment (started by .ci/run). Each test gets a fresh database, and every database
/// the class created is dropped when the class finishes; without the variable, tests skip and say how to run them.
/// </summary>
public abstract class ServerDatabase : IAsyncLifetime
{
    private readonly List<string> _created = [];

    protected ServerDatabase(string variable) => AdminConnectionString = Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;

    /// <summary>Gets the database type name, as in databases.json.</summary>
    public abstract string Type { get; }

    protected string? AdminConnectionString { get; }

    protected abstract string Variable { get; }

    public void SkipIfUnavailable()
    {
        if (AdminConnectionString is null)
        {
            // CI starts the servers (.ci/run sets CI): there a missing variable is a broken run, not a reason to skip.
            Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")), $"{Variable} is not set; .ci/run starts the server and sets it.");
            Assert.Skip($"{Variable} is not set: these tests need a real server. .ci/run starts one and sets it (e.g. {Example}).");
        }
    }

    protected abstract string Example { get; }

    /// <summary>Creates a fresh database and returns its definition (with a connection string).</summary>
    public async Task<DatabaseDefinition> CreateDatabaseAsync(string name)
    {
        SkipIfUnavailable();
        var database = "gravity_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAdminAsync(CreateDatabaseSql(database));
        lock (_created)
        {
            _created.Add(database);
        }

        return new DatabaseDefinition { Name = name, Type = Type, ConnectionString = ConnectionStringFor(database) };
    }

    public abstract DbConnection Connect(DatabaseDefinition database);

    public async Task ExecuteAsync(DatabaseDefinition database, string sql)
    {
        await using var connection = Connect(database);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        ClearPools();
        foreach (var database in _created)
        {
            await DropAsync(database);
        }

        GC.SuppressFinalize(this);
    }

    protected virtual string CreateDatabaseSql(string database) => $"CREATE DATABASE {database}";

    protected abstract string ConnectionStringFor(string database);

    protected abstract Task ExecuteAdminAsync(string sql);

    protected abstract Task DropAsync(string database);

    protected abstract void ClearPools();
}
