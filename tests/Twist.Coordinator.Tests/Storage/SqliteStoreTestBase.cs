using Microsoft.Extensions.Logging.Abstractions;
using Twist.Coordinator.Storage;
using Twist.Coordinator.Storage.Sqlite;
using Twist.Transactions;
using static Twist.Coordinator.Tests.Storage.StoreTestData;

namespace Twist.Coordinator.Tests.Storage;

/// <summary>Gives each SQLite-only test its own database file, opened before and deleted after it. Shared behaviour is in <see cref="TransactionStoreConformanceTests"/>.</summary>
public abstract class SqliteStoreTestBase : IAsyncLifetime
{
    private readonly List<SqliteTransactionStore> _stores = [];

    protected string DatabasePath { get; } = Path.Combine(Path.GetTempPath(), $"twist-store-{Guid.NewGuid():N}.db");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal SqliteTransactionStore Store { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Store = await OpenAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(DatabasePath + suffix);
        }

        GC.SuppressFinalize(this);
    }

    internal async Task<SqliteTransactionStore> OpenAsync()
    {
        var store = NewStore();
        await store.InitializeAsync(Ct);
        return store;
    }

    internal SqliteTransactionStore NewStore()
    {
        var store = new SqliteTransactionStore(DatabasePath, TimeProvider.System, NullLogger<SqliteTransactionStore>.Instance);
        _stores.Add(store);
        return store;
    }

    /// <summary>Creates a transaction, registers <paramref name="links"/> and decides it.</summary>
    internal Task<StoredTransaction> DecidedAsync(
        string tid, TransactionStatus decision = TransactionStatus.Confirming, DateTimeOffset? createdAt = null, params string[] links) =>
        StoreTestData.DecidedAsync(Store, tid, decision, createdAt, links);

    /// <summary>Parks the write loop inside a decide callback until the returned gate is set.</summary>
    internal static async Task<(Task<DecisionResult?> Blocker, ManualResetEventSlim Gate)> BlockWriterAsync(SqliteTransactionStore store)
    {
        var tid = "writer-blocker-" + Guid.NewGuid().ToString("N");
        await store.CreateAsync(Active(tid), Ct);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new ManualResetEventSlim();
        var blocker = store.DecideAsync(
            tid,
            [],
            64,
            t =>
            {
                entered.SetResult();
                gate.Wait(TimeSpan.FromSeconds(30));
                return new Decision(TransactionStatus.Confirming, null);
            },
            T0,
            Ct);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        return (blocker, gate);
    }
}
