using System.Text.Json;
using Npgsql;
using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.PostgreSql;

/// <summary>Maps rows to the storage records. Each column list sits next to the reader that depends on its order.</summary>
internal static class PostgreSqlRowReaders
{
    /// <summary>The number of columns <see cref="ReadTransaction"/> reads.</summary>
    public const int TransactionColumnCount = 11;

    public static string TransactionColumns(string alias) =>
        $"{alias}.tid, {alias}.status, {alias}.attention, {alias}.created_at, {alias}.expires_at, {alias}.decided_at, {alias}.completed_at, {alias}.reason, " +
        $"{alias}.owner, {alias}.epoch, {alias}.trace_parent";

    public static string ParticipantColumns(string alias) =>
        $"{alias}.id, {alias}.uri, {alias}.task_id, {alias}.confirm_action, {alias}.cancel_action, {alias}.expires, {alias}.status, " +
        $"{alias}.attempts, {alias}.last_error, {alias}.last_attempt_at, {alias}.next_attempt_at";

    public const string AttemptColumns =
        "tid, participant_id, phase, at, duration_ms, result_status, status_code, error, attempt_number, next_attempt_at";

    public const string AuditColumns = "id, at, actor, action, tid, participant_id, reason, outcome";

    public const string TaskColumns = "id, confirm, cancel, payload, status, tid, created_at, expires_at";

    /// <summary>Reads <see cref="TransactionColumns"/> at the start of the row, without participants.</summary>
    public static StoredTransaction ReadTransaction(NpgsqlDataReader reader) => new()
    {
        Tid = reader.GetString(0),
        Status = (TransactionStatus)reader.GetInt32(1),
        Attention = (TransactionAttention)reader.GetInt32(2),
        CreatedAt = Time(reader, 3),
        ExpiresAt = Time(reader, 4),
        DecidedAt = NullableTime(reader, 5),
        CompletedAt = NullableTime(reader, 6),
        Reason = NullableString(reader, 7),
        Owner = NullableString(reader, 8),
        Epoch = reader.GetInt64(9),
        TraceParent = NullableString(reader, 10),
    };

    /// <summary>Reads <see cref="ParticipantColumns"/> starting at column <paramref name="o"/>; null when a left join found none.</summary>
    public static StoredParticipant? ReadParticipant(NpgsqlDataReader reader, int o) => reader.IsDBNull(o) ? null : new()
    {
        Id = reader.GetInt32(o),
        Target = new ParticipantTarget
        {
            Uri = new Uri(reader.GetString(o + 1)),
            TaskId = NullableString(reader, o + 2),
            ConfirmAction = NullableAction(reader, o + 3),
            CancelAction = NullableAction(reader, o + 4),
        },
        Expires = Time(reader, o + 5),
        Status = (ParticipantStatus)reader.GetInt32(o + 6),
        Attempts = reader.GetInt32(o + 7),
        LastError = NullableString(reader, o + 8),
        LastAttemptAt = NullableTime(reader, o + 9),
        NextAttemptAt = NullableTime(reader, o + 10),
    };

    /// <summary>Reads an <see cref="AttemptColumns"/> row.</summary>
    public static ParticipantAttempt ReadAttempt(NpgsqlDataReader reader) => new()
    {
        Tid = reader.GetString(0),
        ParticipantId = reader.GetInt32(1),
        Phase = reader.GetString(2),
        At = Time(reader, 3),
        Duration = TimeSpan.FromMilliseconds(reader.GetDouble(4)),
        ResultStatus = (ParticipantStatus)reader.GetInt32(5),
        StatusCode = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        Error = NullableString(reader, 7),
        AttemptNumber = reader.GetInt32(8),
        NextAttemptAt = NullableTime(reader, 9),
    };

    /// <summary>Reads an <see cref="AuditColumns"/> row.</summary>
    public static AuditEntry ReadAudit(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetInt64(0),
        At = Time(reader, 1),
        Actor = reader.GetString(2),
        Action = reader.GetString(3),
        Tid = reader.GetString(4),
        ParticipantId = reader.IsDBNull(5) ? null : reader.GetInt32(5),
        Reason = NullableString(reader, 6),
        Outcome = reader.GetString(7),
    };

    /// <summary>Reads a <see cref="TaskColumns"/> row.</summary>
    public static StoredTask ReadTask(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Confirm = DeserializeAction(reader.GetString(1)),
        Cancel = DeserializeAction(reader.GetString(2)),
        Payload = NullableString(reader, 3),
        Status = reader.GetString(4),
        Tid = NullableString(reader, 5),
        CreatedAt = Time(reader, 6),
        ExpiresAt = Time(reader, 7),
    };

    public static string SerializeAction(ParticipantAction action) =>
        JsonSerializer.Serialize(action, PostgreSqlJsonContext.Default.ParticipantAction);

    public static string? SerializeOptionalAction(ParticipantAction? action) => action is null ? null : SerializeAction(action);

    private static ParticipantAction DeserializeAction(string json) =>
        JsonSerializer.Deserialize(json, PostgreSqlJsonContext.Default.ParticipantAction)
        ?? throw new InvalidDataException("A task action column holds JSON null; the PostgreSQL transaction store is corrupt.");

    private static ParticipantAction? NullableAction(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : DeserializeAction(reader.GetString(ordinal));

    private static DateTimeOffset Time(NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : Time(reader, ordinal);

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
