using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using Twist.Coordinator.Storage;
using static Twist.Coordinator.PostgreSql.PostgreSqlRowReaders;

namespace Twist.Coordinator.PostgreSql;

/// <summary>
/// An <see cref="ITransactionStore"/> on PostgreSQL that several coordinator instances can share. Every write commits
/// before its task completes (PostgreSQL's WAL group commit batches the fsyncs of concurrent writers); every change to
/// one transaction takes that transaction's row lock first, so decisions are serialized across instances.
/// </summary>
/// <remarks>
/// Calls run on pooled connections of one <see cref="NpgsqlDataSource"/>, so they proceed in parallel, bounded by the
/// pool size. Cancelling a write rolls it back unless its COMMIT has been sent: a completed task always means durable.
/// </remarks>
internal sealed partial class PostgreSqlTransactionStore : ITransactionLeaseStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgreSqlStatements _sql;
    private readonly string _schema;
    private readonly PostgreSqlEndpoint _endpoint;
    private readonly ILogger<PostgreSqlTransactionStore> _logger;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Creates still in flight, by tid. The engine acknowledges a begin before its row commits and relies on the store
    // to apply later writes for that tid after it (the SQLite store's single writer does so by construction); here a
    // write for a tid first waits for that tid's pending create.
    private readonly ConcurrentDictionary<string, Task> _pendingCreates = new(StringComparer.Ordinal);

    // Calls in progress, plus one held by the store itself until it is disposed; reaching zero means drained.
    private int _active = 1;
    private volatile bool _ready;
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="PostgreSqlTransactionStore"/> class; no I/O until <see cref="InitializeAsync"/>.</summary>
    /// <param name="connectionString">The Npgsql connection string.</param>
    /// <param name="schema">The schema name; a plain identifier (already validated).</param>
    /// <param name="endpoint">The host, port and database, for logs.</param>
    /// <param name="loggerFactory">Creates the store's logger and Npgsql's.</param>
    /// <param name="instanceId">The coordinator instance this store acts for; a new unique id when <see langword="null"/>.</param>
    public PostgreSqlTransactionStore(
        string connectionString, string schema, PostgreSqlEndpoint endpoint, ILoggerFactory loggerFactory, string? instanceId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentException.ThrowIfNullOrWhiteSpace(schema);
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _schema = schema;
        _endpoint = endpoint;
        _logger = loggerFactory.CreateLogger<PostgreSqlTransactionStore>();
        _sql = new PostgreSqlStatements("\"" + schema + "\"");
        InstanceId = instanceId ?? NewInstanceId();

        var builder = new NpgsqlDataSourceBuilder(connectionString);

        // Names the connections in pg_stat_activity unless the application chose a name.
        builder.ConnectionStringBuilder.ApplicationName ??= "twist-coordinator";
        builder.UseLoggerFactory(loggerFactory);
        _dataSource = builder.Build();
    }

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_ready)
            {
                return;
            }

            await PostgreSqlMigrator.MigrateAsync(_dataSource, _sql, _schema, _endpoint, _logger, cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops taking calls, waits for the ones in progress to finish, then closes the connection pool.</summary>
    /// <returns>A task that completes when every connection is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _lifecycle.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (Interlocked.Decrement(ref _active) != 0)
            {
                await _drained.Task.ConfigureAwait(false);
            }

            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Admits a call; dispose waits for every admitted call to leave.</summary>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    /// <exception cref="InvalidOperationException">The store is not initialized.</exception>
    private Call Enter()
    {
        Interlocked.Increment(ref _active);
        if (_disposed)
        {
            Leave();
            throw new ObjectDisposedException(nameof(PostgreSqlTransactionStore));
        }

        if (!_ready)
        {
            Leave();
            throw new InvalidOperationException("The PostgreSQL transaction store is not initialized; call InitializeAsync before using it.");
        }

        return new Call(this);
    }

    private void Leave()
    {
        if (Interlocked.Decrement(ref _active) == 0)
        {
            _drained.TrySetResult();
        }
    }

    /// <summary>Waits until a create of <paramref name="tid"/> issued earlier has finished, successfully or not.</summary>
    private Task AfterPendingCreate(string tid) =>
        _pendingCreates.TryGetValue(tid, out var create) ? create : Task.CompletedTask;

    /// <summary>Runs <paramref name="work"/> in one database transaction and commits it.</summary>
    /// <remarks>
    /// The caller's token cancels everything up to the COMMIT, which then rolls the work back; the COMMIT itself is not
    /// cancelled, so a write the database made durable is never reported to the caller as cancelled.
    /// </remarks>
    private async Task<T> InTransactionAsync<T>(
        Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return result;
    }

    /// <summary>Reads a transaction row and its participants, as <see cref="PostgreSqlStatements.SelectTransactionWithParticipants"/> and <see cref="PostgreSqlStatements.SelectInFlight"/> return them.</summary>
    private static async Task<List<StoredTransaction>> ReadTransactionsWithParticipantsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var transactions = new List<StoredTransaction>();
        List<StoredParticipant>? participants = null;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var tid = reader.GetString(0);
            if (participants is null || !string.Equals(transactions[^1].Tid, tid, StringComparison.Ordinal))
            {
                participants = [];
                transactions.Add(ReadTransaction(reader) with { Participants = participants });
            }

            if (ReadParticipant(reader, TransactionColumnCount) is { } participant)
            {
                participants.Add(participant);
            }
        }

        return transactions;
    }

    private static async Task<List<StoredParticipant>> ReadParticipantsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var participants = new List<StoredParticipant>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            participants.Add(ReadParticipant(reader, 0)!);
        }

        return participants;
    }

    /// <summary>An admitted call; disposing it lets <see cref="DisposeAsync"/> proceed once all have left.</summary>
    private readonly struct Call(PostgreSqlTransactionStore store) : IDisposable
    {
        public void Dispose() => store.Leave();
    }
}
