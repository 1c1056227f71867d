using System.Text.Json;
using Microsoft.Data.Sqlite;
using Twist.Transactions;
using static Twist.Coordinator.Storage.Sqlite.SqliteValues;

namespace Twist.Coordinator.Storage.Sqlite;

/// <summary>Maps rows to the storage records. Each column list sits next to the reader that depends on its order.</summary>
internal static class SqliteRowReaders
{
    public const string TransactionColumns = "tid, status, attention, created_at, expires_at, decided_at, completed_at, reason, trace_parent";

    public const string ParticipantColumns =
        "tid, id, uri, task_id, confirm_action, cancel_action, expires, status, attempts, last_error, last_attempt_at, next_attempt_at";

    public const string AttemptColumns =
        "tid, participant_id, phase, at, duration_ms, result_status, status_code, error, attempt_number, next_attempt_at";

    public const string AuditColumns = "id, at, actor, action, tid, participant_id, reason, outcome";

    public const string TaskColumns = "id, confirm, cancel, payload, status, tid, created_at, expires_at";

    /// <summary>Reads a <see cref="TransactionColumns"/> row, without participants.</summary>
    public static StoredTransaction ReadTransaction(SqliteDataReader reader) => new()
    {
        Tid = reader.GetString(0),
        Status = (TransactionStatus)reader.GetInt32(1),
        Attention = (TransactionAttention)reader.GetInt32(2),
        CreatedAt = FromUnixMs(reader.GetInt64(3)),
        ExpiresAt = FromUnixMs(reader.GetInt64(4)),
        DecidedAt = NullableTime(reader, 5),
        CompletedAt = NullableTime(reader, 6),
        Reason = NullableString(reader, 7),
        TraceParent = NullableString(reader, 8),
    };

    /// <summary>Reads a <see cref="ParticipantColumns"/> row (column 0, the tid, is left to the caller).</summary>
    public static StoredParticipant ReadParticipant(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt32(1),
        Target = new ParticipantTarget
        {
            Uri = new Uri(reader.GetString(2)),
            TaskId = NullableString(reader, 3),
            ConfirmAction = NullableAction(reader, 4),
            CancelAction = NullableAction(reader, 5),
        },
        Expires = FromUnixMs(reader.GetInt64(6)),
        Status = (ParticipantStatus)reader.GetInt32(7),
        Attempts = reader.GetInt32(8),
        LastError = NullableString(reader, 9),
        LastAttemptAt = NullableTime(reader, 10),
        NextAttemptAt = NullableTime(reader, 11),
    };

    /// <summary>Reads an <see cref="AttemptColumns"/> row.</summary>
    public static ParticipantAttempt ReadAttempt(SqliteDataReader reader) => new()
    {
        Tid = reader.GetString(0),
        ParticipantId = reader.GetInt32(1),
        Phase = reader.GetString(2),
        At = FromUnixMs(reader.GetInt64(3)),
        Duration = TimeSpan.FromMilliseconds(reader.GetDouble(4)),
        ResultStatus = (ParticipantStatus)reader.GetInt32(5),
        StatusCode = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Error = NullableString(reader, 7),
        AttemptNumber = reader.GetInt32(8),
        NextAttemptAt = NullableTime(reader, 9),
    };

    /// <summary>Reads an <see cref="AuditColumns"/> row.</summary>
    public static AuditEntry ReadAudit(SqliteDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        At = FromUnixMs(reader.GetInt64(1)),
        Actor = reader.GetString(2),
        Action = reader.GetString(3),
        Tid = reader.GetString(4),
        ParticipantId = reader.IsDBNull(5) ? null : reader.GetInt32(5),
        Reason = NullableString(reader, 6),
        Outcome = reader.GetString(7),
    };

    /// <summary>Reads a <see cref="TaskColumns"/> row.</summary>
    public static StoredTask ReadTask(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Confirm = DeserializeAction(reader.GetString(1)),
        Cancel = DeserializeAction(reader.GetString(2)),
        Payload = NullableString(reader, 3),
        Status = reader.GetString(4),
        Tid = NullableString(reader, 5),
        CreatedAt = FromUnixMs(reader.GetInt64(6)),
        ExpiresAt = FromUnixMs(reader.GetInt64(7)),
    };

    public static string SerializeAction(ParticipantAction action) =>
        JsonSerializer.Serialize(action, SqliteJsonContext.Default.ParticipantAction);

    public static string? SerializeOptionalAction(ParticipantAction? action) => action is null ? null : SerializeAction(action);

    private static ParticipantAction DeserializeAction(string json) =>
        JsonSerializer.Deserialize(json, SqliteJsonContext.Default.ParticipantAction)
        ?? throw new InvalidDataException("A task action column holds JSON null; the SQLite transaction store is corrupt.");

    private static ParticipantAction? NullableAction(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DeserializeAction(reader.GetString(ordinal));

    private static DateTimeOffset? NullableTime(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : FromUnixMs(reader.GetInt64(ordinal));

    private static string? NullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
