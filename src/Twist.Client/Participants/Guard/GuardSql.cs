using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Twist.Participants.Guard;

/// <summary>
/// The guard's SQL: one dialect that SQLite (3.24+) and PostgreSQL both accept (<c>INSERT … ON CONFLICT DO NOTHING</c>,
/// BIGINT Unix-millisecond timestamps, <c>@name</c> parameters, partial indexes). Only the row lock differs: PostgreSQL
/// needs <c>FOR UPDATE</c>; SQLite has none and relies on the transaction being <c>BEGIN IMMEDIATE</c>.
/// </summary>
internal static class GuardSql
{
    public const string Table = "twist_guard";

    // The partial indexes stay small: only open reservations (for the expiry sweep) and finished rows (for the retention
    // pass) are in them, so the happy path pays one small index write per transition and the sweeps never scan the table.
    public const string Create = """
        CREATE TABLE IF NOT EXISTS twist_guard (
            participant TEXT NOT NULL,
            tid TEXT NOT NULL,
            state TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            epoch BIGINT NOT NULL DEFAULT 0,
            PRIMARY KEY (participant, tid));
        CREATE INDEX IF NOT EXISTS twist_guard_open ON twist_guard (expires_at) WHERE state IN ('trying', 'tried');
        CREATE INDEX IF NOT EXISTS twist_guard_finished ON twist_guard (updated_at) WHERE state IN ('confirmed', 'cancelled');
        """;

    // Tables created before epochs existed get the column; SQLite has no ADD COLUMN IF NOT EXISTS, so it asks first.
    public const string AddEpochPostgres = "ALTER TABLE twist_guard ADD COLUMN IF NOT EXISTS epoch BIGINT NOT NULL DEFAULT 0";

    public const string HasEpochSqlite = "SELECT COUNT(*) FROM pragma_table_info('twist_guard') WHERE name = 'epoch'";

    public const string AddEpochSqlite = "ALTER TABLE twist_guard ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0";

    public const string InsertTrying =
        "INSERT INTO twist_guard (participant, tid, state, expires_at, updated_at) VALUES (@p, @t, 'trying', @e, @now) ON CONFLICT (participant, tid) DO NOTHING";

    public const string InsertTombstone =
        "INSERT INTO twist_guard (participant, tid, state, expires_at, updated_at, epoch) VALUES (@p, @t, 'cancelled', @now, @now, @epoch) ON CONFLICT (participant, tid) DO NOTHING";

    public const string Read = "SELECT state, expires_at, epoch FROM twist_guard WHERE participant = @p AND tid = @t";

    // Only ever raised: the highest epoch seen is what fences older coordinator instances.
    public const string RaiseEpoch = "UPDATE twist_guard SET epoch = @epoch WHERE participant = @p AND tid = @t AND epoch < @epoch";

    public const string MarkTried = "UPDATE twist_guard SET state = 'tried', expires_at = @e, updated_at = @now WHERE participant = @p AND tid = @t";

    public const string MarkState = "UPDATE twist_guard SET state = @s, updated_at = @now WHERE participant = @p AND tid = @t";

    // Written with the same IN list as the partial indexes: SQLite uses a partial index only when its WHERE term appears in the query.
    public const string SelectExpired =
        "SELECT participant, tid FROM twist_guard WHERE state IN ('trying', 'tried') AND expires_at < @now AND participant IN ({names}) ORDER BY expires_at LIMIT @n";

    public const string DeleteFinished = """
        DELETE FROM twist_guard WHERE (participant, tid) IN (
            SELECT participant, tid FROM twist_guard WHERE state IN ('confirmed', 'cancelled') AND updated_at < @cutoff LIMIT @n)
        """;

    /// <summary>The statement that reads and locks one row inside the caller's transaction.</summary>
    public static string Lock(DbConnection connection) => connection is SqliteConnection ? Read : Read + " FOR UPDATE";

    public static bool IsSqlite(DbConnection connection) => connection is SqliteConnection;

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return command;
    }

    public static DbCommand Key(this DbCommand command, string participant, string tid) => command.With("@p", participant).With("@t", tid);
}
