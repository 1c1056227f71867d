using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using Twist.Coordinator.Hosting;

namespace Twist.Coordinator.PostgreSql.Tests;

/// <summary>The public entry point, <c>UsePostgreSql</c>.</summary>
public sealed class PostgreSqlHostingTests(PostgreSqlServer server)
{
    private const string Password = "hunter2-not-for-logs";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_store_logs_host_and_database_but_never_the_password()
    {
        var schema = server.NewSchema();
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { Password = Password }.ConnectionString;
        var options = new TwistCoordinatorOptions().UsePostgreSql(connectionString, o => o.Schema = schema);
        await using var services = new ServiceCollection()
            .AddLogging(b => b.AddFakeLogging().SetMinimumLevel(LogLevel.Trace))
            .BuildServiceProvider();

        try
        {
            await using (var store = options.StoreFactory!(services))
            {
                await store.InitializeAsync(Ct);
                await store.GetAsync("t1", Ct);
            }

            var logs = services.GetFakeLogCollector().GetSnapshot();
            var builder = new NpgsqlConnectionStringBuilder(server.ConnectionString);
            var ready = Assert.Single(logs, l => l.Id.Id == 1200);
            Assert.Contains($"{builder.Host}:{builder.Port}/{builder.Database}", ready.Message, StringComparison.Ordinal);
            Assert.Contains(schema, ready.Message, StringComparison.Ordinal);
            Assert.Single(logs, l => l.Id.Id == 1201);
            Assert.DoesNotContain(logs, l => l.Message.Contains(Password, StringComparison.Ordinal) || (l.Exception?.ToString().Contains(Password, StringComparison.Ordinal) ?? false));
        }
        finally
        {
            await server.DropSchemaAsync(schema);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("1twist")]
    [InlineData("twist; DROP TABLE x")]
    [InlineData("tw\"ist")]
    public void A_schema_that_is_not_a_plain_identifier_is_refused(string schema)
    {
        var error = Assert.Throws<ArgumentException>(() => new TwistCoordinatorOptions().UsePostgreSql("Host=db", o => o.Schema = schema));

        Assert.Contains("PostgreSqlStoreOptions.Schema", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_connection_string_is_refused_without_echoing_it()
    {
        var error = Assert.Throws<ArgumentException>(
            () => new TwistCoordinatorOptions().UsePostgreSql($"Host=db;Password={Password};Not A Keyword=1"));

        Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("UsePostgreSql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsePostgreSql_replaces_the_default_store_without_connecting()
    {
        var options = new TwistCoordinatorOptions().UseSqlite("unused.db").UsePostgreSql("Host=db.invalid;Database=app");
        await using var services = new ServiceCollection().BuildServiceProvider();

        await using var store = options.StoreFactory!(services);

        Assert.IsType<PostgreSqlTransactionStore>(store);
    }
}
