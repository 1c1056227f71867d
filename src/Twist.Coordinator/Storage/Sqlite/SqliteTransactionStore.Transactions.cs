using System.Globalization;
using Twist.Errors;
using Twist.Transactions;
using static Twist.Coordinator.Storage.Sqlite.SqliteRowReaders;
using static Twist.Coordinator.Storage.Sqlite.SqliteValues;

namespace Twist.Coordinator.Storage.Sqlite;

/// <content>Transaction writes. Each runs on the write loop, so a read-check-write inside one is atomic.</content>
internal sealed partial class SqliteTransactionStore
{
    private const string InsertTransaction =
        "INSERT INTO transactions (" + TransactionColumns + ") " +
        "VALUES ($tid, $status, $attention, $created_at, $expires_at, $decided_at, $completed_at, $reason, $trace_parent)";

    private const string InsertParticipant =
        "INSERT INTO participants (tid, id, uri, task_id, confirm_action, cancel_action, expires, status, attempts) " +
        "VALUES ($tid, $id, $uri, $task_id, $confirm_action, $cancel_action, $expires, $status, 0)";

    private const string UpdateDecision =
        "UPDATE transactions SET status = $status, decided_at = $decided_at, reason = $reason WHERE tid = $tid";

    private const string UpdateParticipantAttempt =
        "UPDATE participants SET status = $status, attempts = $attempts, last_error = $last_error, " +
        "last_attempt_at = $last_attempt_at, next_attempt_at = $next_attempt_at WHERE tid = $tid AND id = $id";

    private const string InsertAttempt =
        "INSERT INTO attempts (" + AttemptColumns + ") VALUES ($tid, $participant_id, $phase, $at, $duration_ms, " +
        "$result_status, $status_code, $error, $attempt_number, $next_attempt_at)";

    // 5 = ParticipantStatus.Heuristic, 4 = ParticipantStatus.Parked; 2 and 1 are the matching TransactionAttention.
    private const string UpdateAttention =
        "UPDATE transactions SET attention = CASE " +
        "WHEN EXISTS (SELECT 1 FROM participants WHERE tid = $tid AND status = 5) THEN 2 " +
        "WHEN EXISTS (SELECT 1 FROM participants WHERE tid = $tid AND status = 4) THEN 1 " +
        "ELSE 0 END WHERE tid = $tid";

    private const string UpdateCompletion =
        "UPDATE transactions SET status = $status, completed_at = $completed_at, attention = 0 WHERE tid = $tid";

    private const string SelectParticipant =
        "SELECT " + ParticipantColumns + " FROM participants WHERE tid = $tid AND id = $id";

    private const string UpdateParticipantReset =
        "UPDATE participants SET status = $status, attempts = 0, next_attempt_at = $next_attempt_at WHERE tid = $tid AND id = $id";

    // status IN (2, 4) = Confirmed or Cancelled, spelled as in ix_transactions_finished so SQLite uses that index.
    private const string SelectFinished =
        "SELECT tid FROM transactions WHERE status IN (2, 4) AND completed_at < $before ORDER BY completed_at, tid LIMIT $limit";

    private const string DeleteFinishedTasks = "DELETE FROM tasks WHERE tid IN (" + SelectFinished + ")";

    // Participants and attempts go with their transaction through ON DELETE CASCADE.
    private const string DeleteFinished = "DELETE FROM transactions WHERE tid IN (" + SelectFinished + ")";

    /// <inheritdoc />
    public Task CreateAsync(StoredTransaction transaction, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Participants.Count > 0)
        {
            throw new ArgumentException("CreateAsync stores a transaction without participants; add them with RegisterAsync.", nameof(transaction));
        }

        return WriteAsync(
            session => session.Command(InsertTransaction)
                .With("$tid", transaction.Tid)
                .With("$status", (int)transaction.Status)
                .With("$attention", (int)transaction.Attention)
                .With("$created_at", ToUnixMs(transaction.CreatedAt))
                .With("$expires_at", ToUnixMs(transaction.ExpiresAt))
                .With("$decided_at", ToUnixMs(transaction.DecidedAt))
                .With("$completed_at", ToUnixMs(transaction.CompletedAt))
                .With("$reason", transaction.Reason)
                .With("$trace_parent", transaction.TraceParent)
                .ExecuteNonQuery(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredTransaction?> RegisterAsync(
        string tid, IReadOnlyList<NewParticipant> participants, int maxParticipants, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        ArgumentNullException.ThrowIfNull(participants);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxParticipants);
        return WriteAsync(
            session =>
            {
                var transaction = LoadTransaction(session, tid);
                return transaction is null || transaction.Status != TransactionStatus.Active
                    ? transaction
                    : AddParticipants(session, transaction, participants, maxParticipants);
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks><paramref name="decide"/> runs on the write loop: it must be quick and must not call the store.</remarks>
    public Task<DecisionResult?> DecideAsync(
        string tid, IReadOnlyList<NewParticipant> additional, int maxParticipants, Func<StoredTransaction, Decision> decide,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        ArgumentNullException.ThrowIfNull(additional);
        ArgumentNullException.ThrowIfNull(decide);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxParticipants);
        return WriteAsync(
            session =>
            {
                var transaction = LoadTransaction(session, tid);
                if (transaction is null)
                {
                    return null;
                }

                if (transaction.Status != TransactionStatus.Active)
                {
                    return new DecisionResult(false, transaction);
                }

                transaction = AddParticipants(session, transaction, additional, maxParticipants);
                var decision = decide(transaction);
                if (decision is null || decision.Status is not (TransactionStatus.Confirming or TransactionStatus.Cancelling))
                {
                    throw new InvalidOperationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"A decision must be Confirming or Cancelling, but the decide callback for transaction '{tid}' returned {decision?.Status.ToString() ?? "null"}."));
                }

                var decidedAt = Normalize(now);
                session.Command(UpdateDecision)
                    .With("$tid", tid)
                    .With("$status", (int)decision.Status)
                    .With("$decided_at", ToUnixMs(decidedAt))
                    .With("$reason", decision.Reason)
                    .ExecuteNonQuery();
                return new DecisionResult(
                    true, transaction with { Status = decision.Status, DecidedAt = decidedAt, Reason = decision.Reason });
            },
            cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>One writer, so no epochs: <paramref name="epoch"/> is ignored (every transaction's epoch is 0).</remarks>
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

        return WriteAsync(
            session =>
            {
                foreach (var attempt in attempts)
                {
                    RecordAttempt(session, attempt);
                }

                var updated = completeAs is { } status
                    ? session.Command(UpdateCompletion)
                        .With("$tid", tid)
                        .With("$status", (int)status)
                        .With("$completed_at", ToUnixMs(now))
                        .ExecuteNonQuery()
                    : RecomputeAttention(session, tid);
                return updated == 0 ? throw new TransactionNotFoundException(tid) : updated;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredParticipant?> ResetParticipantAsync(string tid, int participantId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        return WriteAsync(
            session =>
            {
                StoredParticipant before;
                using (var reader = session.Command(SelectParticipant).With("$tid", tid).With("$id", participantId).ExecuteReader())
                {
                    if (!reader.Read())
                    {
                        return null;
                    }

                    before = ReadParticipant(reader);
                }

                if (before.Status is ParticipantStatus.Confirmed or ParticipantStatus.Cancelled)
                {
                    return before;
                }

                session.Command(UpdateParticipantReset)
                    .With("$tid", tid)
                    .With("$id", participantId)
                    .With("$status", (int)ParticipantStatus.Failed)
                    .With("$next_attempt_at", ToUnixMs(now))
                    .ExecuteNonQuery();
                RecomputeAttention(session, tid);
                return before;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeFinishedAsync(DateTimeOffset completedBefore, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var before = ToUnixMs(completedBefore);
        return WriteAsync(
            session =>
            {
                // Same statement, same snapshot, nothing in between touches transactions: both pick the same rows.
                session.Command(DeleteFinishedTasks).With("$before", before).With("$limit", batchSize).ExecuteNonQuery();
                return session.Command(DeleteFinished).With("$before", before).With("$limit", batchSize).ExecuteNonQuery();
            },
            cancellationToken);
    }

    /// <summary>Adds the participants whose URI is new, numbering them after the highest id.</summary>
    /// <exception cref="TwistValidationException">The transaction would exceed <paramref name="maxParticipants"/>; nothing was added.</exception>
    private static StoredTransaction AddParticipants(
        SqliteSession session, StoredTransaction transaction, IReadOnlyList<NewParticipant> incoming, int maxParticipants)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var participant in transaction.Participants)
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
            return transaction;
        }

        var total = transaction.Participants.Count + fresh.Count;
        if (total > maxParticipants)
        {
            throw new TwistValidationException(
                TwistErrorCodes.TooManyParticipants,
                "participantLinks",
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"The transaction would have {total} participants ({transaction.Participants.Count} registered, {fresh.Count} new), more than the {maxParticipants} allowed. Register fewer participants or raise Twist:Coordinator:MaxParticipantsPerTransaction."))
            {
                Tid = transaction.Tid,
            };
        }

        var all = new List<StoredParticipant>(total);
        all.AddRange(transaction.Participants);
        var nextId = transaction.Participants.Count == 0 ? 1 : transaction.Participants.Max(p => p.Id) + 1;
        foreach (var participant in fresh)
        {
            var stored = new StoredParticipant
            {
                Id = nextId++,
                Target = participant.Target,
                Expires = Normalize(participant.Expires),
                Status = ParticipantStatus.Registered,
            };
            session.Command(InsertParticipant)
                .With("$tid", transaction.Tid)
                .With("$id", stored.Id)
                .With("$uri", stored.Target.Uri.AbsoluteUri)
                .With("$task_id", stored.Target.TaskId)
                .With("$confirm_action", SerializeOptionalAction(stored.Target.ConfirmAction))
                .With("$cancel_action", SerializeOptionalAction(stored.Target.CancelAction))
                .With("$expires", ToUnixMs(stored.Expires))
                .With("$status", (int)stored.Status)
                .ExecuteNonQuery();
            all.Add(stored);
        }

        return transaction with { Participants = all };
    }

    private static void RecordAttempt(SqliteSession session, ParticipantAttempt attempt)
    {
        var updated = session.Command(UpdateParticipantAttempt)
            .With("$tid", attempt.Tid)
            .With("$id", attempt.ParticipantId)
            .With("$status", (int)attempt.ResultStatus)
            .With("$attempts", attempt.AttemptNumber)
            .With("$last_error", attempt.Error)
            .With("$last_attempt_at", ToUnixMs(attempt.At))
            .With("$next_attempt_at", ToUnixMs(attempt.NextAttemptAt))
            .ExecuteNonQuery();
        if (updated == 0)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Transaction '{attempt.Tid}' has no participant {attempt.ParticipantId}; its attempts were not recorded."));
        }

        session.Command(InsertAttempt)
            .With("$tid", attempt.Tid)
            .With("$participant_id", attempt.ParticipantId)
            .With("$phase", attempt.Phase)
            .With("$at", ToUnixMs(attempt.At))
            .With("$duration_ms", attempt.Duration.TotalMilliseconds)
            .With("$result_status", (int)attempt.ResultStatus)
            .With("$status_code", attempt.StatusCode)
            .With("$error", attempt.Error)
            .With("$attempt_number", attempt.AttemptNumber)
            .With("$next_attempt_at", ToUnixMs(attempt.NextAttemptAt))
            .ExecuteNonQuery();
    }

    private static int RecomputeAttention(SqliteSession session, string tid) =>
        session.Command(UpdateAttention).With("$tid", tid).ExecuteNonQuery();
}
