using static Twist.Coordinator.Storage.Sqlite.SqliteRowReaders;
using static Twist.Coordinator.Storage.Sqlite.SqliteValues;

namespace Twist.Coordinator.Storage.Sqlite;

/// <content>The operator audit log and the Brobridge v1 task store.</content>
internal sealed partial class SqliteTransactionStore
{
    private const string InsertAudit =
        "INSERT INTO audit (at, actor, action, tid, participant_id, reason, outcome) " +
        "VALUES ($at, $actor, $action, $tid, $participant_id, $reason, $outcome)";

    private const string SelectAudit = "SELECT " + AuditColumns + " FROM audit ORDER BY id DESC LIMIT $limit";

    private const string SelectAuditForTransaction =
        "SELECT " + AuditColumns + " FROM audit WHERE tid = $tid ORDER BY id DESC LIMIT $limit";

    private const string InsertTask =
        "INSERT INTO tasks (" + TaskColumns + ") VALUES ($id, $confirm, $cancel, $payload, $status, $tid, $created_at, $expires_at)";

    private const string SelectTask = "SELECT " + TaskColumns + " FROM tasks WHERE id = $id";

    // Oldest first by id (ids grow with time); the audit table holds operator actions only, so the scan stays small.
    private const string DeleteOldAudit =
        "DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < $before ORDER BY id LIMIT $limit)";

    private const string DeleteUnboundTasks =
        "DELETE FROM tasks WHERE id IN (SELECT id FROM tasks WHERE tid IS NULL AND expires_at < $before LIMIT $limit)";

    private const string UpdateTask = "UPDATE tasks SET status = $status, tid = COALESCE($tid, tid) WHERE id = $id";

    /// <inheritdoc />
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync(
            session => session.Command(InsertAudit)
                .With("$at", ToUnixMs(entry.At))
                .With("$actor", entry.Actor)
                .With("$action", entry.Action)
                .With("$tid", entry.Tid)
                .With("$participant_id", entry.ParticipantId)
                .With("$reason", entry.Reason)
                .With("$outcome", entry.Outcome)
                .ExecuteNonQuery(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? tid, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Read<IReadOnlyList<AuditEntry>>(
            session =>
            {
                var command = tid is null
                    ? session.Command(SelectAudit)
                    : session.Command(SelectAuditForTransaction).With("$tid", tid);
                var entries = new List<AuditEntry>();
                using var reader = command.With("$limit", limit).ExecuteReader();
                while (reader.Read())
                {
                    entries.Add(ReadAudit(reader));
                }

                return entries;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeAuditAsync(DateTimeOffset recordedBefore, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var before = ToUnixMs(recordedBefore);
        return WriteAsync(
            session => session.Command(DeleteOldAudit).With("$before", before).With("$limit", batchSize).ExecuteNonQuery(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> PurgeUnboundTasksAsync(DateTimeOffset expiredBefore, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var before = ToUnixMs(expiredBefore);
        return WriteAsync(
            session => session.Command(DeleteUnboundTasks).With("$before", before).With("$limit", batchSize).ExecuteNonQuery(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task CreateTaskAsync(StoredTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        var confirm = SerializeAction(task.Confirm);
        var cancel = SerializeAction(task.Cancel);
        return WriteAsync(
            session => session.Command(InsertTask)
                .With("$id", task.Id)
                .With("$confirm", confirm)
                .With("$cancel", cancel)
                .With("$payload", task.Payload)
                .With("$status", task.Status)
                .With("$tid", task.Tid)
                .With("$created_at", ToUnixMs(task.CreatedAt))
                .With("$expires_at", ToUnixMs(task.ExpiresAt))
                .ExecuteNonQuery(),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredTask?> GetTaskAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Read(
            session =>
            {
                using var reader = session.Command(SelectTask).With("$id", id).ExecuteReader();
                return reader.Read() ? ReadTask(reader) : null;
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UpdateTaskAsync(string id, string status, string? tid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(status);
        return WriteAsync(
            session => session.Command(UpdateTask).With("$id", id).With("$status", status).With("$tid", tid).ExecuteNonQuery() > 0,
            cancellationToken);
    }
}
