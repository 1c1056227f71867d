using Microsoft.Data.Sqlite;

namespace Twist.Samples.Transfer.Participants;

/// <summary>What a Try did.</summary>
internal enum TryOutcome
{
    /// <summary>Reserved now.</summary>
    Reserved,

    /// <summary>The same transaction had reserved before; the Try is a duplicate.</summary>
    Duplicate,

    /// <summary>The transaction was cancelled (or expired) before this Try arrived: a late ("hanging") Try is refused.</summary>
    AlreadyCancelled,

    /// <summary>The business rule refused the reservation (e.g. insufficient funds).</summary>
    Refused,
}

/// <summary>What a Confirm or Cancel did.</summary>
internal enum PhaseOutcome
{
    /// <summary>Applied now.</summary>
    Done,

    /// <summary>Applied before: the call is a duplicate and changes nothing.</summary>
    AlreadyDone,

    /// <summary>Cancel with nothing reserved: a tombstone was recorded so that a late Try is refused.</summary>
    Tombstone,

    /// <summary>Confirm of a reservation this service never made.</summary>
    NotFound,

    /// <summary>The other phase already happened (confirm after cancel, or cancel after confirm).</summary>
    Conflict,
}

/// <summary>The business side of one participant: how to reserve, apply and release, inside the ledger's transaction.</summary>
internal interface IReservationRules
{
    /// <summary>Creates the service's own tables and seed rows.</summary>
    void CreateSchema(SqliteConnection connection, SqliteTransaction transaction);

    /// <summary>Reserves; returns why not, or <see langword="null"/> when reserved.</summary>
    string? Reserve(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount);

    /// <summary>Makes the reservation permanent.</summary>
    void Apply(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount);

    /// <summary>Gives the reservation back.</summary>
    void Release(SqliteConnection connection, SqliteTransaction transaction, string subject, long amount);
}

/// <summary>
/// The TCC bookkeeping every participant in this sample shares: a reservations table and a guard table
/// (<c>tid, phase</c>) that makes Confirm and Cancel idempotent, turns a Cancel before the Try into a tombstone that
/// refuses the late Try, and lets a sweeper release reservations that outlived their link. Each call runs in one
/// SQLite write transaction, so the business change and the guard row commit together.
/// </summary>
internal sealed class ReservationLedger
{
    private readonly string connectionString;
    private readonly IReservationRules rules;
    private readonly TimeProvider time;

    public ReservationLedger(string databasePath, IReservationRules rules, TimeProvider time)
    {
        connectionString = new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true, DefaultTimeout = 30 }.ToString();
        this.rules = rules;
        this.time = time;
        using var connection = Open();
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode=WAL;";
            wal.ExecuteNonQuery();
        }

        Write(connection, tx =>
        {
            Exec(connection, tx, """
                CREATE TABLE IF NOT EXISTS reservations(
                    tid TEXT PRIMARY KEY, subject TEXT NOT NULL, amount INTEGER NOT NULL,
                    expires_ms INTEGER NOT NULL, state TEXT NOT NULL);
                CREATE TABLE IF NOT EXISTS tcc_guard(tid TEXT PRIMARY KEY, phase TEXT NOT NULL, at_ms INTEGER NOT NULL);
                """);
            rules.CreateSchema(connection, tx);
            return 0;
        });
    }

    public (TryOutcome Outcome, DateTimeOffset Expires, string? Reason) Try(string tid, string subject, long amount, DateTimeOffset expires)
    {
        using var connection = Open();
        return Write(connection, tx =>
        {
            switch (GuardPhase(connection, tx, tid))
            {
                case "cancel":
                    return (TryOutcome.AlreadyCancelled, default, $"transaction {tid} was already cancelled here; a late Try is refused");
                case not null:
                    var existing = Scalar(connection, tx, "SELECT expires_ms FROM reservations WHERE tid = $tid", ("$tid", tid));
                    return (TryOutcome.Duplicate, DateTimeOffset.FromUnixTimeMilliseconds(existing ?? 0), null);
            }

            if (rules.Reserve(connection, tx, subject, amount) is { } reason)
            {
                return (TryOutcome.Refused, default, reason);
            }

            Exec(connection, tx, "INSERT INTO reservations(tid, subject, amount, expires_ms, state) VALUES($tid, $s, $a, $e, 'reserved')",
                ("$tid", tid), ("$s", subject), ("$a", amount), ("$e", expires.ToUnixTimeMilliseconds()));
            SetGuard(connection, tx, tid, "try");
            return (TryOutcome.Reserved, expires, (string?)null);
        });
    }

    public PhaseOutcome Confirm(string tid)
    {
        using var connection = Open();
        return Write(connection, tx =>
        {
            switch (GuardPhase(connection, tx, tid))
            {
                case null:
                    return PhaseOutcome.NotFound;
                case "confirm":
                    return PhaseOutcome.AlreadyDone;
                case "cancel":
                    return PhaseOutcome.Conflict;
            }

            var (subject, amount) = Reservation(connection, tx, tid);
            rules.Apply(connection, tx, subject, amount);
            Exec(connection, tx, "UPDATE reservations SET state = 'confirmed' WHERE tid = $tid", ("$tid", tid));
            SetGuard(connection, tx, tid, "confirm");
            return PhaseOutcome.Done;
        });
    }

    public PhaseOutcome Cancel(string tid)
    {
        using var connection = Open();
        return Write(connection, tx => CancelCore(connection, tx, tid, "cancelled"));
    }

    /// <summary>Releases reservations whose link expired; the coordinator can no longer confirm them.</summary>
    public int ReleaseExpired()
    {
        using var connection = Open();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var expired = new List<string>();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT tid FROM reservations WHERE state = 'reserved' AND expires_ms < $now";
            select.Parameters.AddWithValue("$now", now);
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                expired.Add(reader.GetString(0));
            }
        }

        return expired.Count(tid => Write(connection, tx => CancelCore(connection, tx, tid, "expired")) == PhaseOutcome.Done);
    }

    /// <summary>Sums the amounts per reservation state for a subject (reserved, confirmed, ...).</summary>
    public IReadOnlyDictionary<string, long> Totals(string subject)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state, SUM(amount) FROM reservations WHERE subject = $s GROUP BY state";
        command.Parameters.AddWithValue("$s", subject);
        using var reader = command.ExecuteReader();
        var totals = new Dictionary<string, long>();
        while (reader.Read())
        {
            totals[reader.GetString(0)] = reader.GetInt64(1);
        }

        return totals;
    }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    public static void Exec(SqliteConnection connection, SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        command.ExecuteNonQuery();
    }

    public static long? Scalar(SqliteConnection connection, SqliteTransaction? tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar() is long l ? l : null;
    }

    public static int Changes(SqliteConnection connection, SqliteTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteNonQuery();
    }

    private PhaseOutcome CancelCore(SqliteConnection connection, SqliteTransaction tx, string tid, string endState)
    {
        switch (GuardPhase(connection, tx, tid))
        {
            case null:
                SetGuard(connection, tx, tid, "cancel"); // null compensation: remember it, so a late Try is refused
                return PhaseOutcome.Tombstone;
            case "cancel":
                return PhaseOutcome.AlreadyDone;
            case "confirm":
                return PhaseOutcome.Conflict;
        }

        var (subject, amount) = Reservation(connection, tx, tid);
        rules.Release(connection, tx, subject, amount);
        Exec(connection, tx, "UPDATE reservations SET state = $state WHERE tid = $tid", ("$tid", tid), ("$state", endState));
        SetGuard(connection, tx, tid, "cancel");
        return PhaseOutcome.Done;
    }

    private static T Write<T>(SqliteConnection connection, Func<SqliteTransaction, T> work)
    {
        using var tx = connection.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: one writer at a time, no upgrade deadlocks
        var result = work(tx);
        tx.Commit();
        return result;
    }

    private static string? GuardPhase(SqliteConnection connection, SqliteTransaction tx, string tid)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT phase FROM tcc_guard WHERE tid = $tid";
        command.Parameters.AddWithValue("$tid", tid);
        return command.ExecuteScalar() as string;
    }

    private void SetGuard(SqliteConnection connection, SqliteTransaction tx, string tid, string phase) =>
        Exec(connection, tx, "INSERT INTO tcc_guard(tid, phase, at_ms) VALUES($tid, $p, $at) ON CONFLICT(tid) DO UPDATE SET phase = $p, at_ms = $at",
            ("$tid", tid), ("$p", phase), ("$at", time.GetUtcNow().ToUnixTimeMilliseconds()));

    private static (string Subject, long Amount) Reservation(SqliteConnection connection, SqliteTransaction tx, string tid)
    {
        using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT subject, amount FROM reservations WHERE tid = $tid";
        command.Parameters.AddWithValue("$tid", tid);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? (reader.GetString(0), reader.GetInt64(1))
            : throw new InvalidOperationException($"The guard says transaction {tid} reserved here, but there is no reservation row.");
    }
}
