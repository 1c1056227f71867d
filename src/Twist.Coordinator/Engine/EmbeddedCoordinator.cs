using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Events;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Coordinator.Engine;

/// <summary>
/// The coordinator itself, in-process: callers in the same app use it with no network hop, and the REST and gRPC
/// endpoints are thin callers of it. Each decision is durable (<see cref="ITransactionStore.DecideAsync"/>) before the
/// driver sends a single Confirm or Cancel.
/// </summary>
internal sealed class EmbeddedCoordinator(
    StoreAccessor stores,
    TransactionDriver driver,
    RequestValidator validator,
    IOptions<TwistCoordinatorOptions> options,
    TimeProvider timeProvider,
    CoordinatorInstruments instruments,
    TransactionEventPublisher events,
    ILogger<EmbeddedCoordinator> logger) : ITwistCoordinator
{
    private readonly TimeSpan decisionWait = options.Value.DecisionWaitTimeout;
    private readonly ConcurrentDictionary<string, Task> pendingBegins = new(StringComparer.Ordinal);

    public async Task<TransactionInfo> BeginAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var lifetime = validator.ResolveTimeout(timeout);
        using var activity = CoordinatorInstruments.ActivitySource.StartActivity("twist.begin");
        var now = timeProvider.GetUtcNow();
        var transaction = new StoredTransaction
        {
            Tid = TransactionIds.New(),
            Status = TransactionStatus.Active,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
            TraceParent = (activity ?? Activity.Current) is { IdFormat: ActivityIdFormat.W3C } traced ? traced.Id : null,
        };
        activity?.SetTag(TwistCoordinatorTelemetry.TransactionIdAttribute, transaction.Tid);
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);

        // Begin is acknowledged once the row is queued, not once it is fsynced: nothing depends on it yet. The log
        // applies writes in order, so any later register or decision for this id is durable only after it. A begin
        // lost in a crash surfaces as 404 on the caller's next call, and the reservations made meanwhile lapse at
        // their own expiry: presumed abort. This takes one fsync wait off every transaction's critical path.
        var write = store.CreateAsync(transaction, CancellationToken.None);
        if (write.IsFaulted || !store.IsSingleWriter)
        {
            // With several coordinator instances on one store, the next call for this id may reach another
            // instance, whose writes are not ordered after ours: acknowledge only what is durable.
            await StoreCallAsync(_ => write, cancellationToken).ConfigureAwait(false);
        }

        if (!write.IsCompleted)
        {
            // Reads do not go through the ordered log, so a read of this id waits for the write (see GetAsync).
            pendingBegins[transaction.Tid] = write;
            _ = write.ContinueWith(
                (t, tid) =>
                {
                    pendingBegins.TryRemove((string)tid!, out _);
                    if (t.IsFaulted)
                    {
                        logger.BeginNotPersisted(t.Exception!.GetBaseException());
                    }
                },
                transaction.Tid,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
        instruments.Begun.Add(1);
        events.Begun(transaction);
        logger.TransactionBegun(transaction.Tid, transaction.ExpiresAt);
        return transaction.ToInfo();
    }

    public async Task<TransactionInfo> RegisterAsync(string tid, IReadOnlyList<ParticipantLink> links, CancellationToken cancellationToken = default)
    {
        RequestValidator.EnsureTid(tid);
        ArgumentNullException.ThrowIfNull(links);
        var participants = validator.ToParticipants(links);
        using var activity = StartActivity("twist.register", tid);
        var stored = await StoreCallAsync(s => s.RegisterAsync(tid, participants, validator.MaxParticipants, cancellationToken), cancellationToken).ConfigureAwait(false)
            ?? throw new TransactionNotFoundException(tid);
        if (stored.Status != TransactionStatus.Active)
        {
            throw new TransactionConflictException(stored.ToInfo(), $"Transaction '{tid}' is {stored.Status}; participants can only join an Active transaction.");
        }

        events.Registered(stored, participants);
        return stored.ToInfo();
    }

    public Task<TransactionInfo> ConfirmAsync(string tid, IReadOnlyList<ParticipantLink>? links = null, CancellationToken cancellationToken = default)
    {
        RequestValidator.EnsureTid(tid);
        var participants = validator.ToParticipants(links);
        return DecideAndDriveAsync(tid, participants, now => tx => DecisionRules.ForConfirm(tx, now), wantConfirm: true, "twist.confirm", cancellationToken);
    }

    public Task<TransactionInfo> CancelAsync(string tid, CancellationToken cancellationToken = default)
    {
        RequestValidator.EnsureTid(tid);
        return DecideAndDriveAsync(tid, [], _ => _ => DecisionRules.ForCancel(DecisionRules.Requested), wantConfirm: false, "twist.cancel", cancellationToken);
    }

    public async Task<TransactionInfo> GetAsync(string tid, CancellationToken cancellationToken = default)
    {
        RequestValidator.EnsureTid(tid);
        if (pendingBegins.TryGetValue(tid, out var begin))
        {
            await StoreCallAsync(_ => begin, cancellationToken).ConfigureAwait(false);
        }

        await driver.WhenRecordedAsync(tid).WaitAsync(cancellationToken).ConfigureAwait(false);
        var stored = await StoreCallAsync(s => s.GetAsync(tid, cancellationToken), cancellationToken).ConfigureAwait(false);
        return stored?.ToInfo() ?? throw new TransactionNotFoundException(tid);
    }

    /// <summary>Makes (or finds) the decision, then drives it and waits a bounded time for the participants.</summary>
    internal async Task<TransactionInfo> DecideAndDriveAsync(
        string tid,
        IReadOnlyList<NewParticipant> participants,
        Func<DateTimeOffset, Func<StoredTransaction, Decision>> rule,
        bool wantConfirm,
        string operation,
        CancellationToken cancellationToken)
    {
        using var activity = StartActivity(operation, tid);
        var now = timeProvider.GetUtcNow();
        var result = await StoreCallAsync(s => s.DecideAsync(tid, participants, validator.MaxParticipants, rule(now), now, cancellationToken), cancellationToken).ConfigureAwait(false)
            ?? throw new TransactionNotFoundException(tid);
        var transaction = result.Transaction;
        if (result.Applied)
        {
            events.Registered(transaction, participants);
            RecordDecision(transaction);
        }

        activity?.SetTag("twist.decision", transaction.Status.ToString());
        var drive = driver.DriveAsync(transaction);
        if (transaction.Status.IsConfirmDecision() != wantConfirm)
        {
            var what = wantConfirm ? "confirm" : "cancel";
            var why = transaction.Reason is { } reason && !transaction.Status.IsConfirmDecision() ? $" (reason: {reason})" : string.Empty;
            throw new TransactionConflictException(transaction.ToInfo(), $"Transaction '{tid}' cannot {what}: it is {transaction.Status}{why}.");
        }

        try
        {
            transaction = await drive.WaitAsync(decisionWait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The decision is durable and deliveries continue; the caller gets the in-flight status (HTTP 202).
        }

        return transaction.ToInfo();
    }

    private void RecordDecision(StoredTransaction transaction)
    {
        var decision = transaction.Status == TransactionStatus.Confirming ? "confirm" : "cancel";
        instruments.Decided.Add(
            1,
            new KeyValuePair<string, object?>("twist.decision", decision),
            new KeyValuePair<string, object?>("twist.reason", transaction.Reason ?? "requested"));
        logger.TransactionDecided(transaction.Tid, decision, transaction.Reason);
        events.Decided(transaction);
        if (transaction.Reason is DecisionRules.LinkExpired or DecisionRules.Timeout)
        {
            logger.ConfirmBecameCancel(transaction.Tid, transaction.Reason);
        }
    }

    private static Activity? StartActivity(string name, string tid)
    {
        var activity = CoordinatorInstruments.ActivitySource.StartActivity(name);
        activity?.SetTag(TwistCoordinatorTelemetry.TransactionIdAttribute, tid);
        return activity;
    }

    /// <summary>Runs a store call, turning infrastructure failures into <see cref="CoordinatorUnavailableException"/>.</summary>
    private async Task<T> StoreCallAsync<T>(Func<ITransactionStore, Task<T>> call, CancellationToken cancellationToken)
    {
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await call(store).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (TwistException or OperationCanceledException or ArgumentException))
        {
            throw new CoordinatorUnavailableException($"The coordinator's store failed ({ex.Message}). Read the transaction to learn whether this call took effect, then retry.", ex);
        }
    }

    private async Task StoreCallAsync(Func<ITransactionStore, Task> call, CancellationToken cancellationToken) =>
        await StoreCallAsync<bool>(async s => { await call(s).ConfigureAwait(false); return true; }, cancellationToken).ConfigureAwait(false);
}
