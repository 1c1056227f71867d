namespace Twist.Coordinator.Storage;

/// <summary>
/// A <see cref="ITransactionStore"/> that several coordinator instances share, with the leases that keep each decided
/// transaction driven by one instance at a time. The engine switches to cluster mode when its store implements this.
/// </summary>
/// <remarks>
/// <para>
/// Each instance holds an <em>instance lease</em> that it renews well before it lapses. A decided transaction belongs
/// to one instance (<see cref="StoredTransaction.Owner"/>) under an <see cref="StoredTransaction.Epoch"/>; it stays
/// leased as long as its owner's lease does, so renewing costs one row per instance, not one per transaction in
/// flight. When an owner's lease lapses (it crashed, hung or lost the database), any other instance may claim its
/// transactions; every claim raises the epoch.
/// </para>
/// <para>
/// The epoch is the fencing token: writes under an older epoch are refused
/// (<see cref="TransactionLeaseLostException"/>), and every Confirm/Cancel carries it (<c>Twist-Epoch</c>) so that the
/// participant's guard refuses calls from an instance that was overtaken. Lease expiry is judged by the database's
/// clock only, so the instances' clocks need not agree.
/// </para>
/// </remarks>
public interface ITransactionLeaseStore : ITransactionStore
{
    /// <summary>Gets the id of the coordinator instance this store object acts for (unique per process start).</summary>
    string InstanceId { get; }

    /// <summary>Creates or extends this instance's lease to <paramref name="duration"/> from now (database clock).</summary>
    /// <param name="duration">How long the lease lasts without another renewal.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the lease is durable.</returns>
    /// <remarks>
    /// An instance whose lease lapsed may renew it: the transactions nobody claimed meanwhile are still its own, and
    /// the ones that were claimed carry a higher epoch, which fences its older writes and calls.
    /// </remarks>
    Task RenewInstanceLeaseAsync(TimeSpan duration, CancellationToken cancellationToken);

    /// <summary>Ends this instance's lease at once, so the other instances may claim its unfinished transactions now.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the lease is gone.</returns>
    Task ReleaseInstanceLeaseAsync(CancellationToken cancellationToken);

    /// <summary>Lists this instance's decided, unfinished transactions with participants, ordered by id, after <paramref name="afterTid"/>.</summary>
    /// <param name="afterTid">The last id of the previous page, or null.</param>
    /// <param name="limit">The page size.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The transactions.</returns>
    Task<IReadOnlyList<StoredTransaction>> ListOwnedInFlightAsync(string? afterTid, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> decided, unfinished transactions whose owner's lease has lapsed (or that
    /// have no owner): each becomes this instance's, with its epoch raised by one. Instances claiming at the same time
    /// get disjoint sets (rows another claim holds are skipped, not waited for).
    /// </summary>
    /// <param name="limit">The most transactions to claim.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The claimed transactions with their participants, as they are after the claim.</returns>
    Task<IReadOnlyList<StoredTransaction>> ClaimOrphanedAsync(int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Takes one decided, unfinished transaction over whoever drives it (for operator actions): it becomes this
    /// instance's with its epoch raised by one, which fences the previous owner.
    /// </summary>
    /// <param name="tid">The transaction id.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The transaction afterwards, or <see langword="null"/> when it does not exist or is not in flight.</returns>
    Task<StoredTransaction?> TakeOverAsync(string tid, CancellationToken cancellationToken);

    /// <summary>
    /// Decides up to <paramref name="limit"/> Active transactions whose deadline is before <paramref name="now"/> as
    /// <paramref name="decision"/>, oldest deadline first, and makes them this instance's. Instances sweeping at the
    /// same time decide disjoint sets; a transaction another call is deciding right now is left to that call.
    /// </summary>
    /// <param name="now">The current time, also the decision time.</param>
    /// <param name="limit">The most transactions to decide.</param>
    /// <param name="decision">The decision, a Cancelling one with its reason.</param>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The transactions this call decided, with their participants.</returns>
    Task<IReadOnlyList<StoredTransaction>> DecideExpiredAsync(DateTimeOffset now, int limit, Decision decision, CancellationToken cancellationToken);
}
