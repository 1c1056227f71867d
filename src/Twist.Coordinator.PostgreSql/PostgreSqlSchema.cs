namespace Twist.Coordinator.PostgreSql;

/// <summary>The schema migrations, in order. Migration <c>n</c> upgrades version <c>n</c> to <c>n + 1</c>; append, never edit, shipped ones.</summary>
/// <remarks>
/// Status and attention columns hold the <see cref="Twist.Transactions.TransactionStatus"/>,
/// <see cref="Twist.Transactions.ParticipantStatus"/> and <see cref="Twist.Transactions.TransactionAttention"/> numbers,
/// as in the SQLite store. Ids are <c>COLLATE "C"</c> so they sort byte by byte, as SQLite sorts them: paging by tid
/// must not depend on the database's locale. Times are <c>timestamptz</c> truncated to milliseconds by the store.
/// </remarks>
internal static class PostgreSqlSchema
{
    private static readonly Func<string, string>[] Migrations =
    [
        s => $"""
            CREATE TABLE IF NOT EXISTS {s}.transactions (
                tid          text COLLATE "C" NOT NULL PRIMARY KEY,
                status       integer     NOT NULL,
                attention    integer     NOT NULL DEFAULT 0,
                created_at   timestamptz NOT NULL,
                expires_at   timestamptz NOT NULL,
                decided_at   timestamptz NULL,
                completed_at timestamptz NULL,
                reason       text        NULL
            );

            -- Timeout sweep: Active transactions by deadline.
            CREATE INDEX IF NOT EXISTS ix_transactions_active_expires ON {s}.transactions (expires_at, tid) WHERE status = 0;
            -- Recovery: Confirming or Cancelling transactions, paged by tid.
            CREATE INDEX IF NOT EXISTS ix_transactions_in_flight ON {s}.transactions (tid) WHERE status IN (1, 3);
            -- Purge: finished transactions by completion time.
            CREATE INDEX IF NOT EXISTS ix_transactions_finished ON {s}.transactions (completed_at, tid) WHERE status IN (2, 4);
            -- Operator listing: newest first, keyset on (created_at, tid).
            CREATE INDEX IF NOT EXISTS ix_transactions_created ON {s}.transactions (created_at DESC, tid DESC);

            CREATE TABLE IF NOT EXISTS {s}.participants (
                tid             text COLLATE "C" NOT NULL REFERENCES {s}.transactions (tid) ON DELETE CASCADE,
                id              integer     NOT NULL,
                uri             text        NOT NULL,
                task_id         text        NULL,
                confirm_action  jsonb       NULL,
                cancel_action   jsonb       NULL,
                expires         timestamptz NOT NULL,
                status          integer     NOT NULL,
                attempts        integer     NOT NULL DEFAULT 0,
                last_error      text        NULL,
                last_attempt_at timestamptz NULL,
                next_attempt_at timestamptz NULL,
                PRIMARY KEY (tid, id),
                UNIQUE (tid, uri)
            );

            CREATE TABLE IF NOT EXISTS {s}.attempts (
                id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tid             text COLLATE "C" NOT NULL,
                participant_id  integer          NOT NULL,
                phase           text             NOT NULL,
                at              timestamptz      NOT NULL,
                duration_ms     double precision NOT NULL,
                result_status   integer          NOT NULL,
                status_code     integer          NULL,
                error           text             NULL,
                attempt_number  integer          NOT NULL,
                next_attempt_at timestamptz      NULL,
                FOREIGN KEY (tid, participant_id) REFERENCES {s}.participants (tid, id) ON DELETE CASCADE
            );
            CREATE INDEX IF NOT EXISTS ix_attempts_participant ON {s}.attempts (tid, participant_id);

            CREATE TABLE IF NOT EXISTS {s}.audit (
                id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at             timestamptz NOT NULL,
                actor          text        NOT NULL,
                action         text        NOT NULL,
                tid            text COLLATE "C" NOT NULL,
                participant_id integer     NULL,
                reason         text        NULL,
                outcome        text        NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_audit_tid ON {s}.audit (tid, id);

            -- No foreign key to transactions: a task exists before it is bound to a transaction.
            CREATE TABLE IF NOT EXISTS {s}.tasks (
                id         text COLLATE "C" NOT NULL PRIMARY KEY,
                confirm    jsonb       NOT NULL,
                cancel     jsonb       NOT NULL,
                payload    text        NULL,
                status     text        NOT NULL,
                tid        text COLLATE "C" NULL,
                created_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL
            );
            CREATE INDEX IF NOT EXISTS ix_tasks_tid ON {s}.tasks (tid) WHERE tid IS NOT NULL;
            """,

        // Version 2: leases. A decided transaction belongs to one coordinator instance under an epoch (the fencing
        // token); it is leased while its owner's row in instances is unexpired. Rows decided before the upgrade have no
        // owner, so the first instance to run recovery claims them.
        s => $"""
            ALTER TABLE {s}.transactions
                ADD COLUMN IF NOT EXISTS owner text COLLATE "C" NULL,
                ADD COLUMN IF NOT EXISTS epoch bigint NOT NULL DEFAULT 0;

            -- Recovery: an instance's own in-flight transactions, paged by tid.
            CREATE INDEX IF NOT EXISTS ix_transactions_owner ON {s}.transactions (owner, tid) WHERE status IN (1, 3);

            CREATE TABLE IF NOT EXISTS {s}.instances (
                id         text COLLATE "C" NOT NULL PRIMARY KEY,
                started_at timestamptz NOT NULL,
                renewed_at timestamptz NOT NULL,
                expires_at timestamptz NOT NULL
            );
            """,

        // The begin's trace context, which later drives in other traces (recovery, takeover, timeouts) link to.
        s => $"""
            ALTER TABLE {s}.transactions ADD COLUMN IF NOT EXISTS trace_parent text NULL;
            """,
    ];

    /// <summary>Gets the schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Gets migration <paramref name="version"/> for the schema <paramref name="s"/> (already quoted).</summary>
    public static string Migration(int version, string s) => Migrations[version](s);
}
