using Microsoft.Extensions.Logging;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Engine;
using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Protocol;
using Twist.Transactions;

namespace Twist.Coordinator.Operations;

/// <summary>Operator actions on top of the engine; each one is audited, whether it was applied or refused.</summary>
internal sealed class TwistOperator(
    StoreAccessor stores,
    EmbeddedCoordinator coordinator,
    TransactionDriver driver,
    InstanceLease lease,
    TimeProvider timeProvider,
    CoordinatorInstruments instruments,
    ILogger<TwistOperator> logger) : ITwistOperator
{
    public async Task<TransactionPage> ListAsync(TransactionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await driver.WhenAllRecordedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        return await store.QueryAsync(query with { Limit = Math.Clamp(query.Limit, 1, 500) }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<TransactionDetails> GetDetailsAsync(string tid, CancellationToken cancellationToken = default)
    {
        RequestValidator.EnsureTid(tid);
        await driver.WhenRecordedAsync(tid).WaitAsync(cancellationToken).ConfigureAwait(false);
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        var transaction = await store.GetAsync(tid, cancellationToken).ConfigureAwait(false) ?? throw new TransactionNotFoundException(tid);
        var attempts = await store.GetAttemptsAsync(tid, cancellationToken).ConfigureAwait(false);
        var audit = await store.ListAuditAsync(tid, 100, cancellationToken).ConfigureAwait(false);
        return new TransactionDetails(transaction.ToInfo(), attempts, audit);
    }

    public async Task<TransactionInfo> RetryParticipantAsync(string tid, int participantId, OperatorContext context, CancellationToken cancellationToken = default)
    {
        RequestValidator.EnsureTid(tid);
        ArgumentNullException.ThrowIfNull(context);
        const string action = "retry-participant";
        await driver.WhenRecordedAsync(tid).WaitAsync(cancellationToken).ConfigureAwait(false);
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        var transaction = await store.GetAsync(tid, cancellationToken).ConfigureAwait(false) ?? throw new TransactionNotFoundException(tid);
        var participant = transaction.Participants.FirstOrDefault(p => p.Id == participantId);
        if (participant is null)
        {
            await AuditAsync(store, context, action, tid, participantId, "refused: no such participant", cancellationToken).ConfigureAwait(false);
            throw new TwistException(TwistErrorCodes.ParticipantNotFound, $"Transaction '{tid}' has no participant {participantId}; it has {transaction.Participants.Count}.") { Tid = tid };
        }

        if (!transaction.Status.IsDecided() || transaction.Status.IsFinished()
            || participant.Status is ParticipantStatus.Confirmed or ParticipantStatus.Cancelled)
        {
            var refusal = $"refused: transaction is {transaction.Status}, participant is {participant.Status}";
            await AuditAsync(store, context, action, tid, participantId, refusal, cancellationToken).ConfigureAwait(false);
            throw new TransactionConflictException(
                transaction.ToInfo(),
                $"Participant {participantId} of transaction '{tid}' cannot be retried: the transaction is {transaction.Status} and the participant is {participant.Status}. Only unfinished participants of a decided transaction can be retried.");
        }

        await store.ResetParticipantAsync(tid, participantId, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        await AuditAsync(store, context, action, tid, participantId, $"participant was {participant.Status} after {participant.Attempts} attempts; given a fresh retry budget", cancellationToken).ConfigureAwait(false);
        StoredTransaction? refreshed;
        if (lease.Store is { } leases)
        {
            // In a cluster the instance the operator called takes the transaction over (a new epoch fences the previous
            // owner's drive), so the retry starts now, here, whoever drove it before.
            refreshed = await leases.TakeOverAsync(tid, cancellationToken).ConfigureAwait(false);
            if (refreshed is not null)
            {
                instruments.Takeovers.Add(1);
            }
        }
        else
        {
            refreshed = await store.GetAsync(tid, cancellationToken).ConfigureAwait(false);
        }

        var driven = await driver.DriveAsync(refreshed ?? transaction).WaitAsync(cancellationToken).ConfigureAwait(false);
        return driven.ToInfo();
    }

    public async Task<TransactionInfo> ResolveParticipantAsync(string tid, int participantId, OperatorContext context, CancellationToken cancellationToken = default)
    {
        RequestValidator.EnsureTid(tid);
        ArgumentNullException.ThrowIfNull(context);
        if (string.IsNullOrWhiteSpace(context.Reason))
        {
            // A manual override with no recorded why is what audits are there to prevent.
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, "reason", "Resolving a participant by hand needs a reason (e.g. the ticket of the manual reconciliation).") { Tid = tid };
        }

        const string action = "resolve-participant";
        await driver.WhenRecordedAsync(tid).WaitAsync(cancellationToken).ConfigureAwait(false);
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        var transaction = await store.GetAsync(tid, cancellationToken).ConfigureAwait(false) ?? throw new TransactionNotFoundException(tid);
        var participant = transaction.Participants.FirstOrDefault(p => p.Id == participantId);
        if (participant is null)
        {
            await AuditAsync(store, context, action, tid, participantId, "refused: no such participant", cancellationToken).ConfigureAwait(false);
            throw new TwistException(TwistErrorCodes.ParticipantNotFound, $"Transaction '{tid}' has no participant {participantId}; it has {transaction.Participants.Count}.") { Tid = tid };
        }

        if (transaction.Status is not (TransactionStatus.Confirming or TransactionStatus.Cancelling)
            || participant.Status is not (ParticipantStatus.Parked or ParticipantStatus.Heuristic))
        {
            var refusal = $"refused: transaction is {transaction.Status}, participant is {participant.Status}";
            await AuditAsync(store, context, action, tid, participantId, refusal, cancellationToken).ConfigureAwait(false);
            throw new TransactionConflictException(
                transaction.ToInfo(),
                $"Participant {participantId} of transaction '{tid}' cannot be resolved: the transaction is {transaction.Status} and the participant is {participant.Status}. Only parked or heuristic participants of a transaction still being confirmed or cancelled can be resolved.");
        }

        // In a cluster the instance the operator called takes the transaction over first: the new epoch fences any
        // other instance, so the resolution and the completion below cannot interleave with its writes.
        var owned = lease.Store is { } leases ? await leases.TakeOverAsync(tid, cancellationToken).ConfigureAwait(false) ?? transaction : transaction;
        var confirm = transaction.Status == TransactionStatus.Confirming;
        var now = timeProvider.GetUtcNow();
        var resolution = new ParticipantAttempt
        {
            Tid = tid,
            ParticipantId = participantId,
            Phase = confirm ? TwistHeaders.PhaseConfirm : TwistHeaders.PhaseCancel,
            At = now,
            ResultStatus = confirm ? ParticipantStatus.Confirmed : ParticipantStatus.Cancelled,
            AttemptNumber = participant.Attempts,
        };
        await store.RecordAttemptsAsync(tid, owned.Epoch, [resolution], completeAs: null, now, cancellationToken).ConfigureAwait(false);
        await AuditAsync(store, context, action, tid, participantId, $"participant was {participant.Status} after {participant.Attempts} attempts; recorded as {resolution.ResultStatus} by hand", CancellationToken.None).ConfigureAwait(false);

        // The driver finishes the transaction when nothing else is open (with its metrics and lifecycle event), or
        // goes on delivering to the participants that still wait.
        var refreshed = await store.GetAsync(tid, CancellationToken.None).ConfigureAwait(false) ?? owned;
        var driven = await driver.DriveAsync(refreshed).WaitAsync(cancellationToken).ConfigureAwait(false);
        return driven.ToInfo();
    }

    public async Task<TransactionInfo> ForceCancelAsync(string tid, OperatorContext context, CancellationToken cancellationToken = default)
    {
        RequestValidator.EnsureTid(tid);
        ArgumentNullException.ThrowIfNull(context);
        const string action = "force-cancel";
        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var before = await store.GetAsync(tid, cancellationToken).ConfigureAwait(false) ?? throw new TransactionNotFoundException(tid);
            if (before.Status != TransactionStatus.Active)
            {
                throw new TransactionConflictException(before.ToInfo(), $"Transaction '{tid}' is already {before.Status}; only an undecided (Active) transaction can be force-cancelled.");
            }

            var result = await coordinator.DecideAndDriveAsync(
                tid, [], _ => _ => DecisionRules.ForCancel(DecisionRules.Operator), wantConfirm: false, "twist.force-cancel", cancellationToken).ConfigureAwait(false);
            await AuditAsync(store, context, action, tid, null, $"transaction was Active, now {result.Status}", CancellationToken.None).ConfigureAwait(false);
            return result;
        }
        catch (TransactionConflictException ex)
        {
            await AuditAsync(store, context, action, tid, null, $"refused: transaction is {ex.Transaction.Status}", CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? tid, int limit = 100, CancellationToken cancellationToken = default)
    {
        if (tid is not null)
        {
            RequestValidator.EnsureTid(tid);
        }

        var store = await stores.GetAsync(cancellationToken).ConfigureAwait(false);
        return await store.ListAuditAsync(tid, Math.Clamp(limit, 1, 500), cancellationToken).ConfigureAwait(false);
    }

    private async Task AuditAsync(ITransactionStore store, OperatorContext context, string action, string tid, int? participantId, string outcome, CancellationToken cancellationToken)
    {
        logger.OperatorAction(context.Actor, action, tid, participantId, outcome, context.Reason);
        await store.AppendAuditAsync(
            new AuditEntry
            {
                At = timeProvider.GetUtcNow(),
                Actor = context.Actor,
                Action = action,
                Tid = tid,
                ParticipantId = participantId,
                Reason = context.Reason,
                Outcome = outcome,
            },
            cancellationToken).ConfigureAwait(false);
    }
}
