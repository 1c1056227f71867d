using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ITransactionStore"/> must have, proven by the same tests for each implementation.
/// A store's test class derives from this, gives each test an empty database, and adds its store-specific tests.
/// </summary>
/// <remarks>Public types only: the files are compiled into each store's test project.</remarks>
public abstract partial class TransactionStoreConformanceTests : IAsyncLifetime
{
    private readonly List<ITransactionStore> _stores = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Gets the store opened on this test's database before the test.</summary>
    protected ITransactionStore Store { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await CreateDatabaseAsync();
        Store = await OpenAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        await DropDatabaseAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Prepares an empty database for this test only (tests run in parallel).</summary>
    protected abstract ValueTask CreateDatabaseAsync();

    /// <summary>Creates a store on this test's database, not yet initialized.</summary>
    protected abstract ITransactionStore CreateStore();

    /// <summary>Deletes this test's database; every store on it has been disposed.</summary>
    protected abstract ValueTask DropDatabaseAsync();

    /// <summary>Creates a store on this test's database; it is disposed after the test.</summary>
    protected ITransactionStore NewStore()
    {
        var store = CreateStore();
        _stores.Add(store);
        return store;
    }

    /// <summary>Creates and initializes a store on this test's database, as another coordinator instance would.</summary>
    protected async Task<ITransactionStore> OpenAsync()
    {
        var store = NewStore();
        await store.InitializeAsync(Ct);
        return store;
    }

    /// <summary>Creates a transaction in <see cref="Store"/>, registers <paramref name="links"/> and decides it.</summary>
    protected Task<StoredTransaction> DecidedAsync(
        string tid, TransactionStatus decision = TransactionStatus.Confirming, DateTimeOffset? createdAt = null, params string[] links) =>
        StoreTestData.DecidedAsync(Store, tid, decision, createdAt, links);
}
