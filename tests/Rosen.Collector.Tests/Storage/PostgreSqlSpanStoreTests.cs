using Npgsql;
using Rosen.Collector.PostgreSql;
using Rosen.Collector.Storage;

namespace Rosen.Collector.Tests.Storage;

/// <summary>The same behaviour on the PostgreSQL named by TWIST_TEST_POSTGRES, in a schema of its own per test.</summary>
public sealed class PostgreSqlSpanStoreTests : SpanStoreConformanceTests
{
    private const string Variable = "TWIST_TEST_POSTGRES";
    private readonly string schema = $"rosen_{Guid.NewGuid():N}";
    private string? connectionString;

    public override async ValueTask DisposeAsync()
    {
        if (Store is PostgreSqlSpanStore store)
        {
            await store.DisposeAsync();
        }

        if (connectionString is not null)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
    }

    protected override Task<ISpanStore> CreateStoreAsync()
    {
        connectionString = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;
        if (connectionString is null)
        {
            // CI starts PostgreSQL and sets the variable (.ci/run): there its absence is a failure, not a skip.
            Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"{Variable} is not set; .ci/run starts PostgreSQL and sets it.");
            Assert.Skip($"PostgreSQL span store tests need {Variable}, e.g. 'Host=127.0.0.1;Port=55432;Username=postgres;Database=postgres'.");
        }

        return Task.FromResult<ISpanStore>(new PostgreSqlSpanStore(connectionString, schema));
    }

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql.Replace("{schema}.", schema + ".", StringComparison.Ordinal), connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
