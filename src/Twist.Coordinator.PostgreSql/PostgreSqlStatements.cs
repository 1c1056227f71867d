using static Twist.Coordinator.PostgreSql.PostgreSqlRowReaders;

namespace Twist.Coordinator.PostgreSql;

/// <summary>
/// The store's SQL, with the schema name spliced in once per store. The schema is a validated identifier, quoted;
/// every value travels as a positional parameter.
/// </summary>
/// <remarks>Status numbers are spelled as in the partial indexes of <see cref="PostgreSqlSchema"/> so the planner can use them.</remarks>
/// <param name="s">The quoted schema name.</param>
internal sealed class PostgreSqlStatements(string s)
{
    public string Schema { get; } = s;

    public string InsertTransaction { get; } =
        $"INSERT INTO {s}.transactions (tid, status, attention, created_at, expires_at, decided_at, completed_at, reason, trace_parent) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

    // One statement, one snapshot: the transaction and its participants agree without an explicit transaction.
    public string SelectTransactionWithParticipants { get; } =
        $"SELECT {TransactionColumns("t")}, {ParticipantColumns("p")} FROM {s}.transactions t " +
        $"LEFT JOIN {s}.participants p ON p.tid = t.tid WHERE t.tid = $1 ORDER BY p.id";

    // The row lock serializes every change to one transaction across coordinators. Participants are read by the next
    // statement, which (READ COMMITTED) sees whatever the previous lock holder committed.
    public string LockTransaction { get; } = $"SELECT {TransactionColumns("t")} FROM {s}.transactions t WHERE t.tid = $1 FOR UPDATE";

    public string SelectParticipants { get; } = $"SELECT {ParticipantColumns("p")} FROM {s}.participants p WHERE p.tid = $1 ORDER BY p.id";

    public string SelectParticipant { get; } = $"SELECT {ParticipantColumns("p")} FROM {s}.participants p WHERE p.tid = $1 AND p.id = $2";

    public string InsertParticipant { get; } =
        $"INSERT INTO {s}.participants (tid, id, uri, task_id, confirm_action, cancel_action, expires, status, attempts) " +
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)";

    // The deciding instance owns the decision it made, under the next epoch.
    public string UpdateDecision { get; } =
        $"UPDATE {s}.transactions SET status = $2, decided_at = $3, reason = $4, owner = $5, epoch = $6 WHERE tid = $1";

    // Updates the participant and appends to the history in one statement: no history row without its participant,
    // and the row count (0 or 1) says whether the participant exists.
    public string RecordAttempt { get; } =
        $"WITH updated AS (UPDATE {s}.participants SET status = $6, attempts = $9, last_error = $8, last_attempt_at = $4, " +
        "next_attempt_at = $10 WHERE tid = $1 AND id = $2 RETURNING tid, id) " +
        $"INSERT INTO {s}.attempts ({AttemptColumns}) " +
        "SELECT updated.tid, updated.id, $3, $4, $5, $6, $7, $8, $9, $10 FROM updated";

    // 5 = ParticipantStatus.Heuristic, 4 = ParticipantStatus.Parked; 2 and 1 are the matching TransactionAttention.
    public string UpdateAttention { get; } =
        $"UPDATE {s}.transactions SET attention = CASE " +
        $"WHEN EXISTS (SELECT 1 FROM {s}.participants WHERE tid = $1 AND status = 5) THEN 2 " +
        $"WHEN EXISTS (SELECT 1 FROM {s}.participants WHERE tid = $1 AND status = 4) THEN 1 " +
        "ELSE 0 END WHERE tid = $1";

    // Fenced: an instance that lost the transaction to a higher epoch updates nothing (the caller then rolls back).
    public string UpdateCompletion { get; } =
        $"UPDATE {s}.transactions SET status = $2, completed_at = $3, attention = 0 WHERE tid = $1 AND epoch = $4";

    public string UpdateAttentionFenced { get; } =
        $"UPDATE {s}.transactions SET attention = CASE " +
        $"WHEN EXISTS (SELECT 1 FROM {s}.participants WHERE tid = $1 AND status = 5) THEN 2 " +
        $"WHEN EXISTS (SELECT 1 FROM {s}.participants WHERE tid = $1 AND status = 4) THEN 1 " +
        "ELSE 0 END WHERE tid = $1 AND epoch = $2";

    public string SelectEpoch { get; } = $"SELECT epoch FROM {s}.transactions WHERE tid = $1";

    public string LockTransactionRow { get; } = $"SELECT 1 FROM {s}.transactions WHERE tid = $1 FOR UPDATE";

    public string UpdateParticipantReset { get; } =
        $"UPDATE {s}.participants SET status = $3, attempts = 0, next_attempt_at = $4 WHERE tid = $1 AND id = $2";

    // SKIP LOCKED: coordinators purging at the same time take different rows instead of queueing. Tasks bound to the
    // purged transactions go in the same statement; participants and attempts follow through ON DELETE CASCADE.
    public string PurgeFinished { get; } =
        $"WITH doomed AS (SELECT tid FROM {s}.transactions WHERE status IN (2, 4) AND completed_at < $1 " +
        "ORDER BY completed_at, tid LIMIT $2 FOR UPDATE SKIP LOCKED), " +
        $"tasks_gone AS (DELETE FROM {s}.tasks WHERE tid IN (SELECT tid FROM doomed)) " +
        $"DELETE FROM {s}.transactions WHERE tid IN (SELECT tid FROM doomed)";

    public string PurgeAudit { get; } =
        $"DELETE FROM {s}.audit WHERE id IN (SELECT id FROM {s}.audit WHERE at < $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)";

    public string PurgeUnboundTasks { get; } =
        $"DELETE FROM {s}.tasks WHERE id IN (SELECT id FROM {s}.tasks WHERE tid IS NULL AND expires_at < $1 LIMIT $2 FOR UPDATE SKIP LOCKED)";

    public string SelectAttempts { get; } = $"SELECT {AttemptColumns} FROM {s}.attempts WHERE tid = $1 ORDER BY id";

    public string SelectExpiredActive { get; } =
        $"SELECT tid FROM {s}.transactions WHERE status = 0 AND expires_at < $1 ORDER BY expires_at, tid LIMIT $2";

    // The page and its participants in one statement (one snapshot, one round trip).
    public string SelectInFlight { get; } =
        $"WITH page AS (SELECT {TransactionColumns("t")} FROM {s}.transactions t WHERE t.status IN (1, 3) AND t.tid > $1 ORDER BY t.tid LIMIT $2) " +
        $"SELECT {TransactionColumns("t")}, {ParticipantColumns("p")} FROM page t LEFT JOIN {s}.participants p ON p.tid = t.tid ORDER BY t.tid, p.id";

    // Leases. Expiry is always judged by the database's clock (now()), never by a coordinator's.
    public string RenewInstance { get; } =
        $"INSERT INTO {s}.instances (id, started_at, renewed_at, expires_at) VALUES ($1, now(), now(), now() + $2) " +
        "ON CONFLICT (id) DO UPDATE SET renewed_at = excluded.renewed_at, expires_at = excluded.expires_at";

    // Rows of instances that died long ago and own nothing in flight any more; kept a while for operators' eyes.
    public string ForgetDeadInstances { get; } =
        $"DELETE FROM {s}.instances i WHERE i.expires_at < now() - interval '1 hour' " +
        $"AND NOT EXISTS (SELECT 1 FROM {s}.transactions t WHERE t.owner = i.id AND t.status IN (1, 3))";

    public string ReleaseInstance { get; } = $"DELETE FROM {s}.instances WHERE id = $1";

    public string SelectOwnedInFlight { get; } =
        $"WITH page AS (SELECT {TransactionColumns("t")} FROM {s}.transactions t WHERE t.status IN (1, 3) AND t.owner = $3 AND t.tid > $1 ORDER BY t.tid LIMIT $2) " +
        $"SELECT {TransactionColumns("t")}, {ParticipantColumns("p")} FROM page t LEFT JOIN {s}.participants p ON p.tid = t.tid ORDER BY t.tid, p.id";

    // SKIP LOCKED: instances claiming at once get disjoint batches instead of queueing on the same rows, so the work
    // of a dead instance spreads over the survivors. A row whose owner is alive is never touched.
    // The live owners are an uncorrelated array, not a NOT EXISTS: when a row was claimed by another instance after
    // this statement's snapshot, PostgreSQL re-checks the locked row's newest version, but it re-checks only conditions
    // on that row; a NOT EXISTS (an anti-join) would pass again on the old owner and the row would be claimed twice.
    public string ClaimOrphaned { get; } =
        $"WITH claimed AS (UPDATE {s}.transactions t SET owner = $1, epoch = t.epoch + 1 WHERE t.tid IN (" +
        $"SELECT c.tid FROM {s}.transactions c WHERE c.status IN (1, 3) " +
        $"AND (c.owner IS NULL OR NOT c.owner = ANY (ARRAY(SELECT i.id FROM {s}.instances i WHERE i.expires_at > now()))) " +
        "ORDER BY c.tid LIMIT $2 FOR UPDATE SKIP LOCKED) " +
        $"RETURNING {TransactionColumns("t")}) " +
        $"SELECT {TransactionColumns("t")}, {ParticipantColumns("p")} FROM claimed t LEFT JOIN {s}.participants p ON p.tid = t.tid ORDER BY t.tid, p.id";

    public string TakeOver { get; } =
        $"WITH taken AS (UPDATE {s}.transactions t SET owner = $2, epoch = t.epoch + 1 WHERE t.tid = $1 AND t.status IN (1, 3) " +
        $"RETURNING {TransactionColumns("t")}) " +
        $"SELECT {TransactionColumns("t")}, {ParticipantColumns("p")} FROM taken t LEFT JOIN {s}.participants p ON p.tid = t.tid ORDER BY p.id";

    // The timeout sweep of a cluster: each instance decides a disjoint batch, and a transaction whose row a confirm holds
    // right now is skipped (the next sweep sees the outcome of that confirm).
    public string DecideExpired { get; } =
        $"WITH due AS (SELECT tid FROM {s}.transactions WHERE status = 0 AND expires_at < $1 ORDER BY expires_at, tid LIMIT $2 FOR UPDATE SKIP LOCKED), " +
        $"decided AS (UPDATE {s}.transactions t SET status = $3, reason = $4, decided_at = $5, owner = $6, epoch = t.epoch + 1 FROM due WHERE t.tid = due.tid " +
        $"RETURNING {TransactionColumns("t")}) " +
        $"SELECT {TransactionColumns("t")}, {ParticipantColumns("p")} FROM decided t LEFT JOIN {s}.participants p ON p.tid = t.tid ORDER BY t.tid, p.id";

    public string SelectTransactionsForQuery { get; } = $"SELECT {TransactionColumns("t")} FROM {s}.transactions t WHERE true";

    public string InsertAudit { get; } =
        $"INSERT INTO {s}.audit (at, actor, action, tid, participant_id, reason, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)";

    public string SelectAudit { get; } = $"SELECT {AuditColumns} FROM {s}.audit ORDER BY id DESC LIMIT $1";

    public string SelectAuditForTransaction { get; } = $"SELECT {AuditColumns} FROM {s}.audit WHERE tid = $2 ORDER BY id DESC LIMIT $1";

    public string InsertTask { get; } = $"INSERT INTO {s}.tasks ({TaskColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

    public string SelectTask { get; } = $"SELECT {TaskColumns} FROM {s}.tasks WHERE id = $1";

    public string UpdateTask { get; } = $"UPDATE {s}.tasks SET status = $2, tid = COALESCE($3, tid) WHERE id = $1";
}
