using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Storage;

namespace Twist.Coordinator.Engine;

/// <summary>
/// This instance's lease, when its store is shared by several instances (<see cref="ITransactionLeaseStore"/>). The
/// store opens with a first renewal (so nothing this instance decides is ever ownerless), the lease worker renews it,
/// and the driver asks <see cref="IsHeld"/> before every participant call. With a single-writer store there is no
/// lease and <see cref="IsHeld"/> is always true.
/// </summary>
internal sealed class InstanceLease
{
    private readonly ITransactionLeaseStore? store;
    private readonly TimeSpan duration;
    private readonly TimeProvider timeProvider;
    private readonly CoordinatorInstruments instruments;
    private readonly ILogger<InstanceLease> logger;
    private long heldUntil; // a TimeProvider timestamp: monotonic, unaffected by wall-clock changes
    private int lapseReported;

    public InstanceLease(
        ITransactionStore store, IOptions<TwistCoordinatorOptions> options, TimeProvider timeProvider, CoordinatorInstruments instruments, ILogger<InstanceLease> logger)
    {
        this.store = store as ITransactionLeaseStore;
        duration = options.Value.LeaseDuration;
        this.timeProvider = timeProvider;
        this.instruments = instruments;
        this.logger = logger;
    }

    /// <summary>Gets whether the store is shared by several instances, so decided transactions have owners and epochs.</summary>
    public bool IsClustered => store is not null;

    /// <summary>Gets this instance's id in the cluster, or null with a single-writer store.</summary>
    public string? InstanceId => store?.InstanceId;

    /// <summary>Gets the store's lease operations, or null with a single-writer store.</summary>
    public ITransactionLeaseStore? Store => store;

    /// <summary>Gets how often the lease is renewed: three renewals fit in one lease, so one failed renewal costs nothing.</summary>
    public TimeSpan RenewalInterval => duration / 3;

    /// <summary>Gets whether this instance may call participants: always with a single writer, else while its lease runs.</summary>
    public bool IsHeld => store is null || timeProvider.GetTimestamp() < Volatile.Read(ref heldUntil);

    /// <summary>Gets whether <paramref name="transaction"/> is this instance's to drive.</summary>
    public bool Owns(StoredTransaction transaction) => store is null || string.Equals(transaction.Owner, store.InstanceId, StringComparison.Ordinal);

    /// <summary>Creates or renews the lease; throws when the store could not be reached (the lease then runs out on its own).</summary>
    public async Task RenewAsync(CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return;
        }

        var wasHeld = IsHeld;
        var started = timeProvider.GetTimestamp();

        // Bounded: a renewal stuck on an unreachable database must fail in time for the next one to be tried.
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(duration / 2);
            await store.RenewInstanceLeaseAsync(duration, timeout.Token).ConfigureAwait(false);
        }


        // Counted from before the call, less a tenth for clock-rate drift: the database set the expiry from its clock
        // at or after that moment, so this instance stops calling participants before the others may take over.
        var safe = duration - duration / 10;
        Volatile.Write(ref heldUntil, started + (long)(safe.TotalSeconds * timeProvider.TimestampFrequency));
        Volatile.Write(ref lapseReported, 0);
        instruments.LeaseRenewals.Add(1);
        if (!wasHeld)
        {
            logger.InstanceLeaseAcquired(store.InstanceId, duration);
        }
    }

    /// <summary>Logs a failed renewal, and the lapse once when the lease has run out.</summary>
    public void ReportRenewalFailure(Exception exception)
    {
        if (store is null)
        {
            return;
        }

        var remaining = TimeSpan.FromSeconds(Math.Max(0, Volatile.Read(ref heldUntil) - timeProvider.GetTimestamp()) / (double)timeProvider.TimestampFrequency);
        logger.InstanceLeaseRenewalFailed(exception, store.InstanceId, remaining);
        if (!IsHeld && Interlocked.Exchange(ref lapseReported, 1) == 0)
        {
            logger.InstanceLeaseLapsed(store.InstanceId);
        }
    }

    /// <summary>Ends the lease at shutdown, once this instance has stopped driving, so the others take over at once.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        if (store is null)
        {
            return;
        }

        Volatile.Write(ref heldUntil, 0);
        try
        {
            await store.ReleaseInstanceLeaseAsync(cancellationToken).ConfigureAwait(false);
            logger.InstanceLeaseReleased(store.InstanceId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.InstanceLeaseReleaseFailed(ex, store.InstanceId);
        }
    }
}
