using Npgsql;

namespace Twist.Coordinator.ClusterTests.Infrastructure;

/// <summary>
/// A database of its own for one scenario on the server TWIST_TEST_POSTGRES names: the coordinators' schema
/// (<c>twist</c>) and one schema per participant service. Dropped afterwards.
/// </summary>
internal sealed class ClusterDatabase : IAsyncDisposable
{
    public const string Variable = "TWIST_TEST_POSTGRES";

    private readonly string admin;

    private ClusterDatabase(string admin, string name)
    {
        this.admin = admin;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = 4 }.ConnectionString);
    }

    public string Name { get; }

    /// <summary>Gets the connection string of this database (no pool limit set).</summary>
    public string ConnectionString { get; }

    /// <summary>Gets a small pool for the test's own queries.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// Creates the database. Without TWIST_TEST_POSTGRES the test is skipped locally, and fails when the CI
    /// variable is set: .ci/run always provides the server, so a missing one there is a broken run, not a skip.
    /// </summary>
    public static async Task<ClusterDatabase> CreateAsync()
    {
        var admin = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(admin))
        {
            var message = $"The cluster fault tests need PostgreSQL: set {Variable} to a connection string whose user may CREATE DATABASE, e.g. 'Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres' (.ci/run sets it).";
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        var name = $"twist_cluster_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new ClusterDatabase(admin, name);
    }

    /// <summary>A connection string to this database with a pool limit (PostgreSQL's default allows 100 connections for everyone).</summary>
    public string WithPool(int maxPoolSize, string? searchPath = null) =>
        new NpgsqlConnectionStringBuilder(ConnectionString) { MaxPoolSize = maxPoolSize, SearchPath = searchPath }.ConnectionString;

    public async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<List<T>> ListAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
