using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.Tests.Storage;

/// <summary>Builders for the records every store test writes. Public types only: the file is shared with other stores' test projects.</summary>
public static class StoreTestData
{
    public static readonly DateTimeOffset T0 = new(2025, 3, 11, 0, 15, 0, 123, TimeSpan.Zero);

    public static StoredTransaction Active(string tid, DateTimeOffset? createdAt = null, TimeSpan? timeout = null)
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

    public static NewParticipant Link(string uri, DateTimeOffset? expires = null) =>
        new(ParticipantTarget.ForLink(new Uri(uri)), expires ?? T0.AddMinutes(1));

    public static Decision Confirm(StoredTransaction transaction) => new(TransactionStatus.Confirming, null);

    public static ParticipantAttempt Attempt(
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

    /// <summary>Records attempts under the transaction's current epoch, as its driving instance would.</summary>
    public static async Task RecordAsync(
        ITransactionStore store, string tid, IReadOnlyList<ParticipantAttempt> attempts, TransactionStatus? completeAs, DateTimeOffset now)
    {
        var ct = TestContext.Current.CancellationToken;
        var epoch = (await store.GetAsync(tid, ct))?.Epoch ?? 0;
        await store.RecordAttemptsAsync(tid, epoch, attempts, completeAs, now, ct);
    }

    /// <summary>Creates a transaction in <paramref name="store"/>, registers <paramref name="links"/> and decides it.</summary>
    public static async Task<StoredTransaction> DecidedAsync(
        ITransactionStore store, string tid, TransactionStatus decision = TransactionStatus.Confirming, DateTimeOffset? createdAt = null, params string[] links)
    {
        var ct = TestContext.Current.CancellationToken;
        await store.CreateAsync(Active(tid, createdAt), ct);
        var result = await store.DecideAsync(
            tid, links.Select(l => Link(l)).ToArray(), 64, _ => new Decision(decision, decision == TransactionStatus.Cancelling ? "requested" : null), T0, ct);
        return result!.Transaction;
    }
}
