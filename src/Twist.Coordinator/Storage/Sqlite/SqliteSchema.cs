using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.Storage.Sqlite;

/// <summary>Creates and upgrades the SQLite schema and sets the pragmas the durability guarantees depend on.</summary>
/// <remarks>
/// The schema version lives in <c>PRAGMA user_version</c> (part of the database header, so it commits or rolls back
/// with the migration). Migration <c>n</c> upgrades version <c>n</c> to <c>n + 1</c>; append, never edit, shipped ones.
/// Status and attention columns hold the <see cref="Twist.Transactions.TransactionStatus"/>,
/// <see cref="Twist.Transactions.ParticipantStatus"/> and <see cref="Twist.Transactions.TransactionAttention"/> numbers.
/// </remarks>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE transactions (
            tid          TEXT    NOT NULL PRIMARY KEY,
            status       INTEGER NOT NULL,
            attention    INTEGER NOT NULL DEFAULT 0,
            created_at   INTEGER NOT NULL,
            expires_at   INTEGER NOT NULL,
            decided_at   INTEGER NULL,
            completed_at INTEGER NULL,
            reason       TEXT    NULL
        ) WITHOUT ROWID;

        -- Timeout sweep: Active transactions by deadline.
        CREATE INDEX ix_transactions_active_expires ON transactions (expires_at) WHERE status = 0;
        -- Recovery: Confirming or Cancelling transactions, paged by tid.
        CREATE INDEX ix_transactions_in_flight ON transactions (tid) WHERE status IN (1, 3);
        -- Purge: finished transactions by completion time.
        CREATE INDEX ix_transactions_finished ON transactions (completed_at) WHERE status IN (2, 4);
        -- Operator listing: newest first, keyset on (created_at, tid).
        CREATE INDEX ix_transactions_created ON transactions (created_at DESC, tid DESC);

        CREATE TABLE participants (
            tid             TEXT    NOT NULL REFERENCES transactions (tid) ON DELETE CASCADE,
            id              INTEGER NOT NULL,
            uri             TEXT    NOT NULL,
            task_id         TEXT    NULL,
            confirm_action  TEXT    NULL,
            cancel_action   TEXT    NULL,
            expires         INTEGER NOT NULL,
            status          INTEGER NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            last_error      TEXT    NULL,
            last_attempt_at INTEGER NULL,
            next_attempt_at INTEGER NULL,
            PRIMARY KEY (tid, id),
            UNIQUE (tid, uri)
        ) WITHOUT ROWID;

        CREATE TABLE attempts (
            id              INTEGER PRIMARY KEY,
            tid             TEXT    NOT NULL,
            participant_id  INTEGER NOT NULL,
            phase           TEXT    NOT NULL,
            at              INTEGER NOT NULL,
            duration_ms     REAL    NOT NULL,
            result_status   INTEGER NOT NULL,
            status_code     INTEGER NULL,
            error           TEXT    NULL,
            attempt_number  INTEGER NOT NULL,
            next_attempt_at INTEGER NULL,
            FOREIGN KEY (tid, participant_id) REFERENCES participants (tid, id) ON DELETE CASCADE
        );
        CREATE INDEX ix_attempts_participant ON attempts (tid, participant_id);

        CREATE TABLE audit (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            at             INTEGER NOT NULL,
            actor          TEXT    NOT NULL,
            action         TEXT    NOT NULL,
            tid            TEXT    NOT NULL,
            participant_id INTEGER NULL,
            reason         TEXT    NULL,
            outcome        TEXT    NOT NULL
        );
        CREATE INDEX ix_audit_tid ON audit (tid, id);

        -- No foreign key to transactions: a task exists before it is bound to a transaction.
        CREATE TABLE tasks (
            id         TEXT    NOT NULL PRIMARY KEY,
            confirm    TEXT    NOT NULL,
            cancel     TEXT    NOT NULL,
            payload    TEXT    NULL,
            status     TEXT    NOT NULL,
            tid        TEXT    NULL,
            created_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX ix_tasks_tid ON tasks (tid) WHERE tid IS NOT NULL;
        """,
        """
        -- The begin's trace context, which later drives in other traces link to.
        ALTER TABLE transactions ADD COLUMN trace_parent TEXT NULL;
        """,
    ];

    /// <summary>Gets the schema version this build writes.</summary>
    public static int CurrentVersion => Migrations.Length;

    /// <summary>Sets the writer connection's pragmas.</summary>
    /// <remarks>
    /// WAL lets the pooled readers run while the writer commits; <c>synchronous=FULL</c> fsyncs the WAL on every commit,
    /// which is what makes a decision survive power loss (NORMAL would only survive a process crash).
    /// </remarks>
    public static void ConfigureWriter(SqliteConnection connection, string path, ILogger logger)
    {
        var journalMode = Scalar(connection, "PRAGMA journal_mode = WAL;") as string;
        if (!string.Equals(journalMode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            logger.NotWal(path, journalMode);
        }

        Execute(connection, "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;");
    }

    /// <summary>Applies the migrations the database lacks, in one transaction.</summary>
    /// <exception cref="InvalidOperationException">The database was written by a newer version.</exception>
    public static void Migrate(SqliteConnection connection, string path, ILogger logger)
    {
        // BEGIN IMMEDIATE takes the write lock before reading the version, so two processes cannot both migrate.
        using var transaction = connection.BeginTransaction(deferred: false);
        var version = (long)(Scalar(connection, "PRAGMA user_version;", transaction) ?? 0L);
        if (version == CurrentVersion)
        {
            return;
        }

        if (version > CurrentVersion)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The SQLite transaction store '{path}' has schema version {version}, but this coordinator supports up to {CurrentVersion}. Upgrade the coordinator or point Twist at another database file."));
        }

        for (var v = (int)version; v < CurrentVersion; v++)
        {
            Execute(connection, Migrations[v], transaction);
        }

        // PRAGMA takes no parameters; the value is a compile-time count, not input.
        Execute(connection, string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {CurrentVersion};"), transaction);
        transaction.Commit();
        logger.SchemaUpgraded(path, version, CurrentVersion);
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }
}
