using Microsoft.Extensions.Logging.Abstractions;
using Twist.Coordinator.Storage;
using Twist.Coordinator.Tests.Storage;

namespace Twist.Coordinator.PostgreSql.Tests;

/// <summary>Runs the store conformance tests on PostgreSQL, one schema per test. PostgreSQL-only behaviour: <see cref="PostgreSqlClusterTests"/>.</summary>
public sealed class PostgreSqlTransactionStoreTests(PostgreSqlServer server) : TransactionStoreConformanceTests
{
    private string? _schema;

    protected override ValueTask CreateDatabaseAsync()
    {
        _schema = server.NewSchema();
        return ValueTask.CompletedTask;
    }

    protected override ITransactionStore CreateStore() => PostgreSqlStores.Create(server.ConnectionString, _schema!);

    protected override async ValueTask DropDatabaseAsync()
    {
        if (_schema is not null)
        {
            await server.DropSchemaAsync(_schema);
        }
    }
}

/// <summary>Builds stores as <c>UsePostgreSql</c> does.</summary>
internal static class PostgreSqlStores
{
    public static PostgreSqlTransactionStore Create(string connectionString, string schema) =>
        new(connectionString, schema, PostgreSqlEndpoint.Parse(connectionString), NullLoggerFactory.Instance);
}
