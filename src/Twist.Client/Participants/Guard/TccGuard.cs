using System.Data.Common;
using Twist.Participants.Diagnostics;
using Twist.Participants.Guard;

namespace Twist.Participants;

/// <summary>
/// The ADO.NET implementation of <see cref="ITccGuard"/> for SQLite and PostgreSQL. <c>AddTwistParticipant</c>
/// registers one for the database given to <c>UseSqliteGuard</c>/<c>UseGuard</c>; create one yourself to guard a
/// participant that does not use the HTTP endpoints.
/// </summary>
/// <remarks>Call <see cref="EnsureCreatedAsync"/> once at start-up when you create the guard yourself (the endpoints do it for you).</remarks>
public sealed partial class TccGuard : ITccGuard
{
    private readonly Func<CancellationToken, ValueTask<DbConnection>> openConnection;
    private readonly TimeProvider timeProvider;
    private readonly ParticipantInstruments? instruments;

    /// <summary>Initializes a new instance of the <see cref="TccGuard"/> class over a data source.</summary>
    /// <param name="dataSource">The participant's database, e.g. an <c>NpgsqlDataSource</c> or <c>SqliteFactory.Instance.CreateDataSource(…)</c>.</param>
    /// <param name="timeProvider">The clock for timestamps; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public TccGuard(DbDataSource dataSource, TimeProvider? timeProvider = null)
        : this(OpenFrom(dataSource), timeProvider ?? TimeProvider.System, instruments: null)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="TccGuard"/> class over a connection factory.</summary>
    /// <param name="connectionFactory">Creates a new connection to the participant's database; the guard opens and disposes it.</param>
    /// <param name="timeProvider">The clock for timestamps; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="connectionFactory"/> is <see langword="null"/>.</exception>
    public TccGuard(Func<DbConnection> connectionFactory, TimeProvider? timeProvider = null)
        : this(OpenFrom(connectionFactory), timeProvider ?? TimeProvider.System, instruments: null)
    {
    }

    internal TccGuard(Func<CancellationToken, ValueTask<DbConnection>> openConnection, TimeProvider timeProvider, ParticipantInstruments? instruments)
    {
        this.openConnection = openConnection;
        this.timeProvider = timeProvider;
        this.instruments = instruments;
    }

    /// <summary>Creates the <c>twist_guard</c> table and its indexes when they are missing.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>A task that completes when the table exists.</returns>
    /// <remarks>Safe to call any number of times, also from several processes at once.</remarks>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = await openConnection(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                try
                {
                    if (GuardSql.IsSqlite(connection))
                    {
                        // WAL lets readers run beside the single writer; it is a property of the file, so set it once here.
                        await using var wal = GuardSql.Command(connection, null, "PRAGMA journal_mode=WAL");
                        await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }

                    await using var create = GuardSql.Command(connection, null, GuardSql.Create);
                    await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    await AddEpochColumnAsync(connection, cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (DbException) when (attempt < 3 && !cancellationToken.IsCancellationRequested)
                {
                    // PostgreSQL's CREATE … IF NOT EXISTS is not atomic: two processes starting together can both try to
                    // create the table and one fails on a catalog unique index. The second attempt sees the table.
                }
            }
        }
    }

    /// <summary>Adds the <c>epoch</c> column to a table created by a version of the guard that had none.</summary>
    private static async Task AddEpochColumnAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (!GuardSql.IsSqlite(connection))
        {
            await using var alter = GuardSql.Command(connection, null, GuardSql.AddEpochPostgres);
            await alter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var probe = GuardSql.Command(connection, null, GuardSql.HasEpochSqlite);
        if (Convert.ToInt64(await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            // Two processes adding it at once: one fails on the duplicate column, and the caller's retry finds it there.
            await using var alter = GuardSql.Command(connection, null, GuardSql.AddEpochSqlite);
            await alter.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async Task<TccGuardResult> TryAsync(
        string participant, string tid, DateTimeOffset expires, Func<DbConnection, DbTransaction, CancellationToken, Task> body,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        var begun = await BeginTryAsync(participant, tid, expires, cancellationToken).ConfigureAwait(false);
        if (begun.Outcome != TccGuardOutcome.Proceed)
        {
            return begun;
        }

        return await RunAsync(TccPhases.Try, participant, tid, (tx, ct) => EnterTryAsync(tx, participant, tid, expires, ct), body, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public Task<TccGuardResult> ConfirmAsync(
        string participant, string tid, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default) =>
        ConfirmAsync(participant, tid, epoch: 0, body, cancellationToken);

    /// <inheritdoc/>
    public Task<TccGuardResult> ConfirmAsync(
        string participant, string tid, long epoch, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunAsync(TccPhases.Confirm, participant, tid, (tx, ct) => EnterConfirmAsync(tx, participant, tid, epoch, ct), body, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<TccGuardResult> CancelAsync(
        string participant, string tid, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default) =>
        CancelAsync(participant, tid, epoch: 0, body, cancellationToken);

    /// <inheritdoc/>
    public Task<TccGuardResult> CancelAsync(
        string participant, string tid, long epoch, Func<DbConnection, DbTransaction, CancellationToken, Task> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        return RunAsync(TccPhases.Cancel, participant, tid, (tx, ct) => EnterCancelAsync(tx, participant, tid, epoch, ct), body, cancellationToken);
    }

    private static Func<CancellationToken, ValueTask<DbConnection>> OpenFrom(DbDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return dataSource.OpenConnectionAsync;
    }

    private static Func<CancellationToken, ValueTask<DbConnection>> OpenFrom(Func<DbConnection> connectionFactory)
    {
        ArgumentNullException.ThrowIfNull(connectionFactory);
        return async cancellationToken =>
        {
            var connection = connectionFactory() ?? throw new InvalidOperationException("The guard's connection factory returned null; it must return a new DbConnection.");
            if (connection.State != System.Data.ConnectionState.Open)
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            }

            return connection;
        };
    }

    private async Task<TccGuardResult> RunAsync(
        string phase,
        string participant,
        string tid,
        Func<DbTransaction, CancellationToken, Task<TccGuardResult>> enter,
        Func<DbConnection, DbTransaction, CancellationToken, Task> body,
        CancellationToken cancellationToken)
    {
        var connection = await openConnection(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // Disposing an uncommitted transaction rolls it back: that is the path of a body that throws.
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var decision = await enter(transaction, cancellationToken).ConfigureAwait(false);
                if (decision.Outcome is TccGuardOutcome.Proceed)
                {
                    await body(connection, transaction, cancellationToken).ConfigureAwait(false);
                }

                // Commit the business writes with the new state, the tombstone of a null compensation, and a raised
                // coordinator epoch (which a duplicate or a conflict may carry too); a refused epoch wrote nothing.
                if (decision.Outcome is not TccGuardOutcome.Superseded)
                {
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                }

                instruments?.RecordOutcome(phase, decision.Outcome);
                return decision;
            }
        }
    }
}
