namespace Twist.Coordinator.PostgreSql.Tests;

/// <summary>
/// Tests where several store objects, each playing one coordinator instance, share a fresh schema that is dropped
/// afterwards with every store disposed.
/// </summary>
public abstract class SharedSchemaTests(PostgreSqlServer server) : IAsyncLifetime
{
    private readonly List<PostgreSqlTransactionStore> _stores = [];

    /// <summary>Gets the schema this test's stores share.</summary>
    protected string Schema { get; private set; } = null!;

    /// <summary>Gets the server the schema lives on.</summary>
    protected PostgreSqlServer Server => server;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        Schema = server.NewSchema();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await server.DropSchemaAsync(Schema);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates a store (not yet initialized) on this test's schema or another one, disposed with the test.</summary>
    private protected PostgreSqlTransactionStore NewStore(string? schema = null)
    {
        var store = PostgreSqlStores.Create(server.ConnectionString, schema ?? Schema);
        _stores.Add(store);
        return store;
    }
}
