using System.Globalization;
using Npgsql;
using Twist.Coordinator.Storage;

namespace Twist.Coordinator.PostgreSql;

/// <content>
/// Leases (<see cref="ITransactionLeaseStore"/>): one row per coordinator instance in <c>instances</c>, renewed by its
/// heartbeat, and an owner and epoch on every decided transaction. Each call is one statement.
/// </content>
internal sealed partial class PostgreSqlTransactionStore
{
    /// <inheritdoc />
    public string InstanceId { get; }

    /// <inheritdoc />
    public async Task RenewInstanceLeaseAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        using var call = Enter();
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.RenewInstance).Text(InstanceId).Interval(duration));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(_sql.ForgetDeadInstances));
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ReleaseInstanceLeaseAsync(CancellationToken cancellationToken)
    {
        using var call = Enter();
        await using var command = _dataSource.CreateCommand(_sql.ReleaseInstance).Text(InstanceId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTransaction>> ListOwnedInFlightAsync(string? afterTid, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadManyAsync(
            _dataSource.CreateCommand(_sql.SelectOwnedInFlight).Text(afterTid ?? string.Empty).Int(Math.Min(limit, MaxPageSize)).Text(InstanceId),
            cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTransaction>> ClaimOrphanedAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadManyAsync(_dataSource.CreateCommand(_sql.ClaimOrphaned).Text(InstanceId).Int(limit), cancellationToken);
    }

    /// <inheritdoc />
    public async Task<StoredTransaction?> TakeOverAsync(string tid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tid);
        await AfterPendingCreate(tid).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var taken = await ReadManyAsync(_dataSource.CreateCommand(_sql.TakeOver).Text(tid).Text(InstanceId), cancellationToken).ConfigureAwait(false);
        return taken.Count == 0 ? null : taken[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredTransaction>> DecideExpiredAsync(DateTimeOffset now, int limit, Decision decision, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Status is not (Twist.Transactions.TransactionStatus.Confirming or Twist.Transactions.TransactionStatus.Cancelling))
        {
            throw new ArgumentException($"A decision must be Confirming or Cancelling, not {decision.Status}.", nameof(decision));
        }

        return ReadManyAsync(
            _dataSource.CreateCommand(_sql.DecideExpired)
                .Time(now)
                .Int(limit)
                .Int((int)decision.Status)
                .Text(decision.Reason)
                .Time(now)
                .Text(InstanceId),
            cancellationToken);
    }

    /// <summary>Makes an instance id that says where the instance runs and is unique per process start.</summary>
    private static string NewInstanceId() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>Runs one statement returning transactions with their participants, and disposes it.</summary>
    private async Task<IReadOnlyList<StoredTransaction>> ReadManyAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            using var call = Enter();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await ReadTransactionsWithParticipantsAsync(reader, cancellationToken).ConfigureAwait(false);
        }
    }
}
