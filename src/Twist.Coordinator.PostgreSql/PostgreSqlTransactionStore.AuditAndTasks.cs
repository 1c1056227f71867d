using Twist.Coordinator.Storage;
using static Twist.Coordinator.PostgreSql.PostgreSqlRowReaders;

namespace Twist.Coordinator.PostgreSql;

/// <content>The operator audit log and the Brobridge v1 task store: single statements, committed on their own.</content>
internal sealed partial class PostgreSqlTransactionStore
{
    /// <inheritdoc />
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return AppendAuditCoreAsync(entry, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(string? tid, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ListAuditCoreAsync(tid, limit, cancellationToken);
    }

    /// <inheritdoc />
    public Task CreateTaskAsync(StoredTask task, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(task);
        return CreateTaskCoreAsync(task, cancellationToken);
    }

    /// <inheritdoc />
    public Task<StoredTask?> GetTaskAsync(string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        return GetTaskCoreAsync(id, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> UpdateTaskAsync(string id, string status, string? tid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(status);
        return UpdateTaskCoreAsync(id, status, tid, cancellationToken);
    }

    private async Task AppendAuditCoreAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = _dataSource.CreateCommand(_sql.InsertAudit)
            .Time(entry.At)
            .Text(entry.Actor)
            .Text(entry.Action)
            .Text(entry.Tid)
            .Int(entry.ParticipantId)
            .Text(entry.Reason)
            .Text(entry.Outcome);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<AuditEntry>> ListAuditCoreAsync(string? tid, int limit, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = tid is null
            ? _dataSource.CreateCommand(_sql.SelectAudit).Int(limit)
            : _dataSource.CreateCommand(_sql.SelectAuditForTransaction).Int(limit).Text(tid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var entries = new List<AuditEntry>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(ReadAudit(reader));
        }

        return entries;
    }

    private async Task CreateTaskCoreAsync(StoredTask task, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = _dataSource.CreateCommand(_sql.InsertTask)
            .Text(task.Id)
            .Json(SerializeAction(task.Confirm))
            .Json(SerializeAction(task.Cancel))
            .Text(task.Payload)
            .Text(task.Status)
            .Text(task.Tid)
            .Time(task.CreatedAt)
            .Time(task.ExpiresAt);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<StoredTask?> GetTaskCoreAsync(string id, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = _dataSource.CreateCommand(_sql.SelectTask).Text(id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadTask(reader) : null;
    }

    private async Task<bool> UpdateTaskCoreAsync(string id, string status, string? tid, CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = _dataSource.CreateCommand(_sql.UpdateTask).Text(id).Text(status).Text(tid);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
