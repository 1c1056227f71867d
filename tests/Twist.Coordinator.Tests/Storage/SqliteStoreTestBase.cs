using Microsoft.Extensions.Logging.Abstractions;
using Twist.Coordinator.Storage;
using Twist.Coordinator.Storage.Sqlite;
using Twist.Transactions;

namespace Twist.Coordinator.Tests.Storage;

/// <summary>Gives each test its own database file, opened before and deleted after it.</summary>
public abstract class SqliteStoreTestBase : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2025, 3, 11, 0, 15, 0, 123, TimeSpan.Zero);

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

    protected static StoredTransaction Active(string tid, DateTimeOffset? createdAt = null, TimeSpan? timeout = null)
    {
        var created = createdAt ?? T0;
        return new StoredTransaction
        {
            Tid = tid,
            Status = TransactionStatus.Active,
            CreatedAt = created,
            ExpiresAt = created + (timeout ?? TimeSpan.FromSeconds(30)),
        };
    }

    protected static NewParticipant Link(string uri, DateTimeOffset? expires = null) =>
        new(ParticipantTarget.ForLink(new Uri(uri)), expires ?? T0.AddMinutes(1));

    protected static Decision Confirm(StoredTransaction transaction) => new(TransactionStatus.Confirming, null);

    protected static ParticipantAttempt Attempt(
        string tid, int participantId, ParticipantStatus result, int number, DateTimeOffset at, string? error = null, DateTimeOffset? next = null) => new()
    {
        Tid = tid,
        ParticipantId = participantId,
        Phase = "confirm",
        At = at,
        Duration = TimeSpan.FromMilliseconds(12.5),
        ResultStatus = result,
        StatusCode = result == ParticipantStatus.Confirmed ? 200 : 503,
        Error = error,
        AttemptNumber = number,
        NextAttemptAt = next,
    };

    /// <summary>Creates a transaction, registers <paramref name="links"/> and decides it.</summary>
    internal async Task<StoredTransaction> DecidedAsync(
        string tid, TransactionStatus decision = TransactionStatus.Confirming, DateTimeOffset? createdAt = null, params string[] links)
    {
        await Store.CreateAsync(Active(tid, createdAt), Ct);
        var result = await Store.DecideAsync(
            tid, links.Select(l => Link(l)).ToArray(), 64, _ => new Decision(decision, decision == TransactionStatus.Cancelling ? "requested" : null), T0, Ct);
        return result!.Transaction;
    }

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
