using System.Globalization;
using Npgsql;
using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Transactions;
using static Twist.Coordinator.PostgreSql.PostgreSqlRowReaders;
using static Twist.Coordinator.PostgreSql.PostgreSqlValues;

namespace Twist.Coordinator.PostgreSql;

/// <content>Transaction writes. Each runs in one database transaction that locks the transaction row first.</content>
/// <remarks>
/// Every write locks the transaction row before any participant row, so two coordinators writing to the same
/// transaction queue instead of deadlocking.
/// </remarks>
internal sealed partial class PostgreSqlTransactionStore
{
    /// <inheritdoc />
    public Task CreateAsync(StoredTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Participants.Count > 0)
        {
            throw new ArgumentException("CreateAsync stores a transaction without participants; add them with RegisterAsync.", nameof(transaction));
        }

        var write = CreateCoreAsync(transaction, cancellationToken);
        if (!write.IsCompleted)
        {
            // Registered before returning, so any write the caller issues next for this tid sees it.
            var tid = transaction.Tid;
            _pendingCreates[tid] = write;
            _ = write.ContinueWith(
                done => _pendingCreates.TryRemove(new KeyValuePair<string, Task>(tid, done)),
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return write;
    }

    /// <inheritdoc />
    public Task<StoredTransaction?> RegisterAsync(
        string tid, IReadOnlyList<NewParticipant> participants, int maxParticipants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        ArgumentNullException.ThrowIfNull(participants);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxParticipants);
        return RegisterCoreAsync(tid, participants, maxParticipants, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks><paramref name="decide"/> runs while the transaction's row is locked: it must be quick and must not call the store.</remarks>
    public Task<DecisionResult?> DecideAsync(
        string tid, IReadOnlyList<NewParticipant> additional, int maxParticipants, Func<StoredTransaction, Decision> decide,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        ArgumentNullException.ThrowIfNull(additional);
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxParticipants);
        return DecideCoreAsync(tid, additional, maxParticipants, decide, now, cancellationToken);
    }

    /// <inheritdoc />
    public Task RecordAttemptsAsync(
        string tid, long epoch, IReadOnlyList<ParticipantAttempt> attempts, TransactionStatus? completeAs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        ArgumentNullException.ThrowIfNull(attempts);
        if (completeAs is not (null or TransactionStatus.Confirmed or TransactionStatus.Cancelled))
        {
            throw new ArgumentOutOfRangeException(nameof(completeAs), completeAs, "A transaction can only be completed as Confirmed or Cancelled.");
        }

        foreach (var attempt in attempts)
        {
            if (!string.Equals(attempt.Tid, tid, StringComparison.Ordinal))
            {
                throw new ArgumentException($"An attempt for transaction '{attempt.Tid}' was passed with transaction '{tid}'.", nameof(attempts));
            }
        }

        return RecordAttemptsCoreAsync(tid, epoch, attempts, completeAs, now, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredParticipant?> ResetParticipantAsync(string tid, int participantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        return ResetParticipantCoreAsync(tid, participantId, now, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeFinishedAsync(DateTimeOffset completedBefore, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return PurgeFinishedCoreAsync(completedBefore, batchSize, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeAuditAsync(DateTimeOffset recordedBefore, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return ExecutePurgeAsync(_sql.PurgeAudit, recordedBefore, batchSize, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeUnboundTasksAsync(DateTimeOffset expiredBefore, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        return ExecutePurgeAsync(_sql.PurgeUnboundTasks, expiredBefore, batchSize, cancellationToken);
    }

    private async Task CreateCoreAsync(StoredTransaction transaction, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = _dataSource.CreateCommand(_sql.InsertTransaction)
            .Text(transaction.Tid)
            .Int((int)transaction.Status)
            .Int((int)transaction.Attention)
            .Time(transaction.CreatedAt)
            .Time(transaction.ExpiresAt)
            .Time(transaction.DecidedAt)
            .Time(transaction.CompletedAt)
            .Text(transaction.Reason)
            .Text(transaction.TraceParent);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredTransaction?> RegisterCoreAsync(
        string tid, IReadOnlyList<NewParticipant> participants, int maxParticipants, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await AfterPendingCreate(tid).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return await InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var stored = await LockAsync(connection, transaction, tid, ct).ConfigureAwait(false);
                if (stored is null || stored.Status != TransactionStatus.Active)
                {
                    return stored;
                }

                await using var batch = new NpgsqlBatch(connection, transaction);
                stored = AddParticipants(batch, stored, participants, maxParticipants);
                if (batch.BatchCommands.Count > 0)
                {
                    await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return stored;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<DecisionResult?> DecideCoreAsync(
        string tid, IReadOnlyList<NewParticipant> additional, int maxParticipants, Func<StoredTransaction, Decision> decide,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await AfterPendingCreate(tid).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return await InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                var stored = await LockAsync(connection, transaction, tid, ct).ConfigureAwait(false);
                if (stored is null)
                {
                    return null;
                }

                if (stored.Status != TransactionStatus.Active)
                {
                    return new DecisionResult(false, stored);
                }

                // The new participants and the decision go in one round trip; the callback sees them before either is sent.
                await using var batch = new NpgsqlBatch(connection, transaction);
                stored = AddParticipants(batch, stored, additional, maxParticipants);
                var decision = decide(stored);
                if (decision is null || decision.Status is not (TransactionStatus.Confirming or TransactionStatus.Cancelling))
                {
                    throw new InvalidOperationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"A decision must be Confirming or Cancelling, but the decide callback for transaction '{tid}' returned {decision?.Status.ToString() ?? "null"}."));
                }

                var decidedAt = Normalize(now);
                var epoch = stored.Epoch + 1;
                batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.UpdateDecision)
                    .Text(tid)
                    .Int((int)decision.Status)
                    .Time(decidedAt)
                    .Text(decision.Reason)
                    .Text(InstanceId)
                    .Long(epoch));
                await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                return new DecisionResult(
                    true, stored with { Status = decision.Status, DecidedAt = decidedAt, Reason = decision.Reason, Owner = InstanceId, Epoch = epoch });
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task RecordAttemptsCoreAsync(
        string tid, long epoch, IReadOnlyList<ParticipantAttempt> attempts, TransactionStatus? completeAs, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await AfterPendingCreate(tid).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                // One round trip: lock, every attempt, then the completion or the attention flag.
                await using var batch = new NpgsqlBatch(connection, transaction);
                batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.LockTransactionRow).Text(tid));
                foreach (var attempt in attempts)
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.RecordAttempt)
                        .Text(attempt.Tid)
                        .Int(attempt.ParticipantId)
                        .Text(attempt.Phase)
                        .Time(attempt.At)
                        .Double(attempt.Duration.TotalMilliseconds)
                        .Int((int)attempt.ResultStatus)
                        .Int(attempt.StatusCode)
                        .Text(attempt.Error)
                        .Int(attempt.AttemptNumber)
                        .Time(attempt.NextAttemptAt));
                }

                // The last statement is fenced by the epoch; the row lock taken first keeps a takeover from slipping
                // in between, so either the whole batch was made under the current epoch or it is rolled back below.
                batch.BatchCommands.Add(completeAs is { } status
                    ? new NpgsqlBatchCommand(_sql.UpdateCompletion).Text(tid).Int((int)status).Time(now).Long(epoch)
                    : new NpgsqlBatchCommand(_sql.UpdateAttentionFenced).Text(tid).Long(epoch));
                await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

                // A failed check throws before the COMMIT, so nothing of the batch is kept.
                if (batch.BatchCommands[^1].RecordsAffected == 0)
                {
                    await using var read = new NpgsqlCommand(_sql.SelectEpoch, connection, transaction).Text(tid);
                    throw await read.ExecuteScalarAsync(ct).ConfigureAwait(false) is long current
                        ? new TransactionLeaseLostException(tid, epoch, current)
                        : new TransactionNotFoundException(tid);
                }

                for (var i = 0; i < attempts.Count; i++)
                {
                    if (batch.BatchCommands[i + 1].RecordsAffected == 0)
                    {
                        throw new InvalidOperationException(string.Create(
                            CultureInfo.InvariantCulture,
                            $"Transaction '{tid}' has no participant {attempts[i].ParticipantId}; its attempts were not recorded."));
                    }
                }

                return true;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredParticipant?> ResetParticipantCoreAsync(string tid, int participantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await AfterPendingCreate(tid).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return await InTransactionAsync(
            async (connection, transaction, ct) =>
            {
                StoredParticipant? before;
                await using (var batch = new NpgsqlBatch(connection, transaction))
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.LockTransactionRow).Text(tid));
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.SelectParticipant).Text(tid).Int(participantId));
                    await using var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false);
                    await reader.NextResultAsync(ct).ConfigureAwait(false);
                    before = await reader.ReadAsync(ct).ConfigureAwait(false) ? ReadParticipant(reader, 0) : null;
                }

                if (before is null || before.Status is ParticipantStatus.Confirmed or ParticipantStatus.Cancelled)
                {
                    return before;
                }

                await using (var batch = new NpgsqlBatch(connection, transaction))
                {
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.UpdateParticipantReset)
                        .Text(tid)
                        .Int(participantId)
                        .Int((int)ParticipantStatus.Failed)
                        .Time(now));
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.UpdateAttention).Text(tid));
                    await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return before;
            },
            cancellationToken).ConfigureAwait(false);
    }

    private Task<int> PurgeFinishedCoreAsync(DateTimeOffset completedBefore, int batchSize, CancellationToken cancellationToken) =>
        ExecutePurgeAsync(_sql.PurgeFinished, completedBefore, batchSize, cancellationToken);

    private async Task<int> ExecutePurgeAsync(string statement, DateTimeOffset before, int batchSize, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = _dataSource.CreateCommand(statement).Time(before).Int(batchSize);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Locks the transaction row and reads it with its participants, in one round trip.</summary>
    private async Task<StoredTransaction?> LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string tid, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.LockTransaction).Text(tid));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.SelectParticipants).Text(tid));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var stored = ReadTransaction(reader);
        await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
        return stored with { Participants = await ReadParticipantsAsync(reader, cancellationToken).ConfigureAwait(false) };
    }

    /// <summary>Adds the participants whose URI is new, numbering them after the highest id.</summary>
    /// <exception cref="TwistValidationException">The transaction would exceed <paramref name="maxParticipants"/>; nothing was added.</exception>
    /// <remarks>Only adds the inserts to <paramref name="batch"/>; the caller sends them.</remarks>
    private StoredTransaction AddParticipants(
        NpgsqlBatch batch, StoredTransaction stored, IReadOnlyList<NewParticipant> incoming, int maxParticipants)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var participant in stored.Participants)
        {
            known.Add(participant.Target.Uri.AbsoluteUri);
        }

        var fresh = new List<NewParticipant>();
        foreach (var participant in incoming)
        {
            if (known.Add(participant.Target.Uri.AbsoluteUri))
            {
                fresh.Add(participant);
            }
        }

        if (fresh.Count == 0)
        {
            return stored;
        }

        var total = stored.Participants.Count + fresh.Count;
        if (total > maxParticipants)
        {
            throw new TwistValidationException(
                TwistErrorCodes.TooManyParticipants,
                "participantLinks",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The transaction would have {total} participants ({stored.Participants.Count} registered, {fresh.Count} new), more than the {maxParticipants} allowed. Register fewer participants or raise Twist:Coordinator:MaxParticipantsPerTransaction."))
            {
                Tid = stored.Tid,
            };
        }

        var all = new List<StoredParticipant>(total);
        all.AddRange(stored.Participants);
        var nextId = stored.Participants.Count == 0 ? 1 : stored.Participants.Max(p => p.Id) + 1;
        foreach (var participant in fresh)
        {
            var row = new StoredParticipant
            {
                Id = nextId++,
                Target = participant.Target,
                Expires = Normalize(participant.Expires),
                Status = ParticipantStatus.Registered,
            };
            batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.InsertParticipant)
                .Text(stored.Tid)
                .Int(row.Id)
                .Text(row.Target.Uri.AbsoluteUri)
                .Text(row.Target.TaskId)
                .Json(SerializeOptionalAction(row.Target.ConfirmAction))
                .Json(SerializeOptionalAction(row.Target.CancelAction))
                .Time(row.Expires)
                .Int((int)row.Status));
            all.Add(row);
        }

        return stored with { Participants = all };
    }
}
