using System.Data.Common;
using Twist.Participants.Guard;

namespace Twist.Participants;

/// <content>The decisions themselves: one row per (participant, tid), read under a lock and moved through the state machine.</content>
public sealed partial class TccGuard
{
    /// <inheritdoc/>
    public async Task<TccGuardResult> BeginTryAsync(string participant, string tid, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        CheckKey(participant, tid);
        var connection = await openConnection(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Autocommit on purpose: 'trying' must survive the business transaction's rollback, so that a Cancel still
            // runs the Cancel code after a Try that failed halfway (Seata loses this row with the rollback).
            await using var insert = GuardSql.Command(connection, null, GuardSql.InsertTrying)
                .Key(participant, tid).With("@e", expires.ToUnixTimeMilliseconds()).With("@now", NowMs());
            if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
            {
                return new TccGuardResult(TccGuardOutcome.Proceed, expires);
            }

            var row = await ReadAsync(connection, null, GuardSql.Read, participant, tid, cancellationToken).ConfigureAwait(false);
            var result = row?.State switch
            {
                TccGuardState.Cancelled => new TccGuardResult(TccGuardOutcome.Hanging),
                TccGuardState.Tried or TccGuardState.Confirmed => new TccGuardResult(TccGuardOutcome.Duplicate, row.Value.Expires),

                // 'trying' (an earlier attempt failed or still runs), or a row the retention pass removed a moment ago.
                _ => new TccGuardResult(TccGuardOutcome.TryIncomplete),
            };
            instruments?.RecordOutcome(TccPhases.Try, result.Outcome);
            return result;
        }
    }

    /// <inheritdoc/>
    public async Task<TccGuardResult> EnterTryAsync(
        DbTransaction transaction, string participant, string tid, DateTimeOffset expires, CancellationToken cancellationToken = default)
    {
        var connection = CheckTransaction(transaction);
        CheckKey(participant, tid);
        var row = await ReadAsync(connection, transaction, GuardSql.Lock(connection), participant, tid, cancellationToken).ConfigureAwait(false);
        switch (row?.State)
        {
            case TccGuardState.Trying:
                await using (var update = GuardSql.Command(connection, transaction, GuardSql.MarkTried)
                    .Key(participant, tid).With("@e", expires.ToUnixTimeMilliseconds()).With("@now", NowMs()))
                {
                    await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                return new TccGuardResult(TccGuardOutcome.Proceed, expires);
            case TccGuardState.Cancelled:
                // A Cancel (or the expiry sweep) won the race between BeginTryAsync and this lock.
                return new TccGuardResult(TccGuardOutcome.Hanging);
            case TccGuardState.Tried or TccGuardState.Confirmed:
                return new TccGuardResult(TccGuardOutcome.Duplicate, row.Value.Expires);
            default:
                return new TccGuardResult(TccGuardOutcome.NotTried);
        }
    }

    /// <inheritdoc/>
    public Task<TccGuardResult> EnterConfirmAsync(DbTransaction transaction, string participant, string tid, CancellationToken cancellationToken = default) =>
        EnterConfirmAsync(transaction, participant, tid, epoch: 0, cancellationToken);

    /// <inheritdoc/>
    public async Task<TccGuardResult> EnterConfirmAsync(
        DbTransaction transaction, string participant, string tid, long epoch, CancellationToken cancellationToken = default)
    {
        var connection = CheckTransaction(transaction);
        CheckKey(participant, tid);
        CheckEpoch(epoch);
        var row = await ReadAsync(connection, transaction, GuardSql.Lock(connection), participant, tid, cancellationToken).ConfigureAwait(false);
        if (Overtaken(row, epoch) is { } superseded)
        {
            return superseded;
        }

        var highest = await RaiseEpochAsync(connection, transaction, participant, tid, row, epoch, cancellationToken).ConfigureAwait(false);
        switch (row?.State)
        {
            case TccGuardState.Tried:
                await SetStateAsync(connection, transaction, participant, tid, TccGuardState.Confirmed, cancellationToken).ConfigureAwait(false);
                return new TccGuardResult(TccGuardOutcome.Proceed, Epoch: highest);
            case TccGuardState.Confirmed:
                return new TccGuardResult(TccGuardOutcome.Duplicate, Epoch: highest);
            case TccGuardState.Cancelled:
                return new TccGuardResult(TccGuardOutcome.Conflict, Epoch: highest);
            default:
                // No row, or 'trying': no Try succeeded, so there is no reservation to make permanent.
                return new TccGuardResult(TccGuardOutcome.NotTried, Epoch: highest);
        }
    }

    /// <inheritdoc/>
    public Task<TccGuardResult> EnterCancelAsync(DbTransaction transaction, string participant, string tid, CancellationToken cancellationToken = default) =>
        EnterCancelAsync(transaction, participant, tid, epoch: 0, cancellationToken);

    /// <inheritdoc/>
    public async Task<TccGuardResult> EnterCancelAsync(
        DbTransaction transaction, string participant, string tid, long epoch, CancellationToken cancellationToken = default)
    {
        var connection = CheckTransaction(transaction);
        CheckKey(participant, tid);
        CheckEpoch(epoch);

        // Two rounds at most: the tombstone insert can only lose to a Try's 'trying' row committed after our read, and
        // the second read (a new statement under READ COMMITTED) sees that row and waits for its lock.
        for (var round = 0; round < 3; round++)
        {
            var row = await ReadAsync(connection, transaction, GuardSql.Lock(connection), participant, tid, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                await using var insert = GuardSql.Command(connection, transaction, GuardSql.InsertTombstone)
                    .Key(participant, tid).With("@now", NowMs()).With("@epoch", epoch);
                if (await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1)
                {
                    return new TccGuardResult(TccGuardOutcome.NullCompensation, Epoch: epoch);
                }

                continue;
            }

            if (Overtaken(row, epoch) is { } superseded)
            {
                return superseded;
            }

            var highest = await RaiseEpochAsync(connection, transaction, participant, tid, row, epoch, cancellationToken).ConfigureAwait(false);
            switch (row.Value.State)
            {
                case TccGuardState.Trying or TccGuardState.Tried:
                    await SetStateAsync(connection, transaction, participant, tid, TccGuardState.Cancelled, cancellationToken).ConfigureAwait(false);
                    return new TccGuardResult(TccGuardOutcome.Proceed, Epoch: highest);
                case TccGuardState.Cancelled:
                    return new TccGuardResult(TccGuardOutcome.Duplicate, Epoch: highest);
                case TccGuardState.Confirmed:
                    return new TccGuardResult(TccGuardOutcome.Conflict, Epoch: highest);
                default:
                    throw new InvalidOperationException($"The guard row of participant '{participant}', transaction '{tid}' has the unknown state '{row.Value.State}'.");
            }
        }

        throw new InvalidOperationException(
            $"The guard row of participant '{participant}', transaction '{tid}' kept changing while cancelling. Use READ COMMITTED transactions on PostgreSQL.");
    }

    /// <summary>The refusal of a call from an overtaken coordinator instance, or null when the call's epoch is current (or it sent none).</summary>
    private static TccGuardResult? Overtaken(GuardRow? row, long epoch) =>
        epoch > 0 && row is { } found && found.Epoch > epoch ? new TccGuardResult(TccGuardOutcome.Superseded, Epoch: found.Epoch) : null;

    /// <summary>Records a higher epoch on the row (it commits with the caller's transaction); returns the highest epoch now recorded.</summary>
    private static async Task<long> RaiseEpochAsync(
        DbConnection connection, DbTransaction transaction, string participant, string tid, GuardRow? row, long epoch, CancellationToken cancellationToken)
    {
        if (row is not { } found || epoch <= found.Epoch)
        {
            return row?.Epoch ?? 0;
        }

        await using var update = GuardSql.Command(connection, transaction, GuardSql.RaiseEpoch).Key(participant, tid).With("@epoch", epoch);
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return epoch;
    }

    private static void CheckEpoch(long epoch) => ArgumentOutOfRangeException.ThrowIfNegative(epoch);

    private static void CheckKey(string participant, string tid)
    {
        ArgumentException.ThrowIfNullOrEmpty(participant);
        ArgumentException.ThrowIfNullOrEmpty(tid);
    }

    private static DbConnection CheckTransaction(DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection ?? throw new ArgumentException("The transaction is no longer usable: it has no connection (committed or rolled back?).", nameof(transaction));
    }

    private static async Task<GuardRow?> ReadAsync(
        DbConnection connection, DbTransaction? transaction, string sql, string participant, string tid, CancellationToken cancellationToken)
    {
        await using var command = GuardSql.Command(connection, transaction, sql).Key(participant, tid);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            return new GuardRow(reader.GetString(0), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)), reader.GetInt64(2));
        }
    }

    private async Task SetStateAsync(DbConnection connection, DbTransaction transaction, string participant, string tid, string state, CancellationToken cancellationToken)
    {
        await using var update = GuardSql.Command(connection, transaction, GuardSql.MarkState).Key(participant, tid).With("@s", state).With("@now", NowMs());
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private long NowMs() => timeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>A guard row as read: its state, when the reservation lapses, and the highest coordinator epoch seen.</summary>
    private readonly record struct GuardRow(string State, DateTimeOffset Expires, long Epoch);
}
