using Twist.Errors;
using Twist.Transactions;

namespace Twist.Client.Tests.Fakes;

/// <summary>An in-memory coordinator that records every call; the unit under test's dependency.</summary>
internal sealed class FakeCoordinator : ITwistCoordinator
{
    private int next;

    public List<string> Calls { get; } = [];

    public List<ParticipantLink> Registered { get; } = [];

    public List<ParticipantLink> ConfirmedLinks { get; } = [];

    public Func<string, Exception?> FailConfirm { get; set; } = _ => null;

    public Func<string, Exception?> FailCancel { get; set; } = _ => null;

    public TimeSpan? LastTimeout { get; private set; }

    /// <summary>Gets or sets the prefix of the ids this fake hands out; tests that use process-wide listeners make it unique.</summary>
    public string TidPrefix { get; set; } = "tx-";

    public static TransactionInfo Info(string tid, TransactionStatus status) => new()
    {
        Tid = tid,
        Status = status,
        CreatedAt = DateTimeOffset.UnixEpoch,
        ExpiresAt = new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero),
    };

    public Task<TransactionInfo> BeginAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        LastTimeout = timeout;
        var tid = TidPrefix + Interlocked.Increment(ref next);
        Calls.Add("begin " + tid);
        return Task.FromResult(Info(tid, TransactionStatus.Active));
    }

    public Task<TransactionInfo> RegisterAsync(string tid, IReadOnlyList<ParticipantLink> links, CancellationToken cancellationToken = default)
    {
        Calls.Add($"register {tid} {links.Count}");
        Registered.AddRange(links);
        return Task.FromResult(Info(tid, TransactionStatus.Active));
    }

    public Task<TransactionInfo> ConfirmAsync(string tid, IReadOnlyList<ParticipantLink>? links = null, CancellationToken cancellationToken = default)
    {
        Calls.Add($"confirm {tid} {links?.Count ?? 0}");
        if (FailConfirm(tid) is { } ex)
        {
            return Task.FromException<TransactionInfo>(ex);
        }

        ConfirmedLinks.AddRange(links ?? []);
        return Task.FromResult(Info(tid, TransactionStatus.Confirmed));
    }

    public Task<TransactionInfo> CancelAsync(string tid, CancellationToken cancellationToken = default)
    {
        Calls.Add("cancel " + tid);
        return FailCancel(tid) is { } ex
            ? Task.FromException<TransactionInfo>(ex)
            : Task.FromResult(Info(tid, TransactionStatus.Cancelled));
    }

    public Task<TransactionInfo> GetAsync(string tid, CancellationToken cancellationToken = default) =>
        Task.FromException<TransactionInfo>(new TransactionNotFoundException(tid));
}
