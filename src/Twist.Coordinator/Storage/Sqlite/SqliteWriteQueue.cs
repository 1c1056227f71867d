using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Twist.Errors;

namespace Twist.Coordinator.Storage.Sqlite;

/// <summary>
/// Group commit: every write goes through one connection and one loop, which runs whatever is queued (up to
/// <see cref="MaxBatchSize"/> operations) in a single SQLite transaction and commits once, so a burst of writes pays
/// for one fsync instead of one each.
/// </summary>
/// <remarks>
/// Each operation runs inside its own SAVEPOINT: one that throws (a validation error, a constraint violation) is
/// rolled back alone and the rest of the batch still commits. No caller sees its result before the commit, so a
/// completed task always means a durable write; if the commit fails, every operation of the batch fails.
/// </remarks>
internal sealed class SqliteWriteQueue : IAsyncDisposable
{
    /// <summary>The most operations one transaction carries; bounds how long a batch holds the write lock.</summary>
    public const int MaxBatchSize = 256;

    private const string Savepoint = "op";
    private static readonly TimeSpan SlowCommit = TimeSpan.FromSeconds(1);

    private readonly Channel<SqliteWriteOperation> _channel =
        Channel.CreateUnbounded<SqliteWriteOperation>(new UnboundedChannelOptions { SingleReader = true });

    private readonly SqliteConnection _connection;
    private readonly SqliteSession _session;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly List<SqliteWriteOperation> _batch = new(MaxBatchSize);
    private readonly Task _loop;
    private long _commits;
    private long _operations;

    /// <summary>Initializes a new instance of the <see cref="SqliteWriteQueue"/> class and starts its loop.</summary>
    /// <param name="connection">The open writer connection; the queue owns it from now on.</param>
    /// <param name="timeProvider">Measures commit times.</param>
    /// <param name="logger">The logger.</param>
    public SqliteWriteQueue(SqliteConnection connection, TimeProvider timeProvider, ILogger logger)
    {
        _connection = connection;
        _session = new SqliteSession(connection);
        _timeProvider = timeProvider;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Gets how many SQLite transactions the loop has committed.</summary>
    public long CommitCount => Interlocked.Read(ref _commits);

    /// <summary>Gets how many operations the loop has run (committed or not).</summary>
    public long OperationCount => Interlocked.Read(ref _operations);

    /// <summary>Queues a write and waits until it is durable.</summary>
    /// <remarks>
    /// <paramref name="work"/> runs on the write loop and must be quick and synchronous: every other write waits for it.
    /// Cancelling <paramref name="cancellationToken"/> withdraws the write only while it is still queued.
    /// </remarks>
    /// <exception cref="ObjectDisposedException">The queue is shutting down.</exception>
    public Task<T> EnqueueAsync<T>(Func<SqliteSession, T> work, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        var operation = new SqliteWriteOperation<T>(work, cancellationToken);
        if (!_channel.Writer.TryWrite(operation))
        {
            operation.Fail(new ObjectDisposedException(nameof(SqliteTransactionStore)));
        }

        return operation.Task;
    }

    /// <summary>Stops taking writes, finishes the queued ones, checkpoints the WAL and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_channel.Writer.TryComplete())
        {
            return;
        }

        await _loop.ConfigureAwait(false);
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }
        catch (SqliteException ex)
        {
            // Harmless: the next open replays the WAL.
            _logger.CheckpointFailed(ex);
        }

        _session.Dispose();
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_batch.Count < MaxBatchSize && reader.TryRead(out var operation))
            {
                if (operation.TryStart())
                {
                    _batch.Add(operation);
                }
            }

            if (_batch.Count == 0)
            {
                continue;
            }

            Interlocked.Add(ref _operations, _batch.Count);
            try
            {
                RunBatch();
            }
            catch (Exception ex)
            {
                // RunBatch fails its operations itself; this only keeps the loop alive if that bookkeeping throws.
                _logger.WriteLoopFailed(ex);
                foreach (var operation in _batch)
                {
                    operation.Fail(ex);
                }
            }
            finally
            {
                _batch.Clear();
            }
        }
    }

    private void RunBatch()
    {
        var started = _timeProvider.GetTimestamp();
        SqliteTransaction? transaction = null;
        try
        {
            transaction = _connection.BeginTransaction(deferred: false);
            _session.Transaction = transaction;
            foreach (var operation in _batch)
            {
                RunOne(operation);
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            _logger.BatchFailed(ex, _batch.Count);
            TryRollback(transaction);
            var failure = new CoordinatorUnavailableException(
                "The SQLite transaction store could not commit the write, so nothing of it was saved. Check the database file and disk, then retry.",
                ex);
            foreach (var operation in _batch)
            {
                operation.Fail(failure);
            }

            return;
        }
        finally
        {
            _session.Transaction = null;
            transaction?.Dispose();
        }

        Interlocked.Increment(ref _commits);
        var elapsed = _timeProvider.GetElapsedTime(started);
        if (elapsed > SlowCommit)
        {
            _logger.SlowCommit(elapsed, _batch.Count);
        }

        foreach (var operation in _batch)
        {
            operation.Publish();
        }
    }

    private void RunOne(SqliteWriteOperation operation)
    {
        // Plain SQL through the session's prepared commands: SqliteTransaction.Save/Release would re-parse every time.
        _session.Command("SAVEPOINT " + Savepoint).ExecuteNonQuery();
        try
        {
            operation.Execute(_session);
        }
#pragma warning disable CA1031 // The operation keeps its exception for its caller; the batch must go on.
        catch (Exception)
#pragma warning restore CA1031
        {
            // If this throws too, the transaction itself is broken and the whole batch fails in RunBatch.
            _session.Command("ROLLBACK TO " + Savepoint).ExecuteNonQuery();
        }

        _session.Command("RELEASE " + Savepoint).ExecuteNonQuery();
    }

    private static void TryRollback(SqliteTransaction? transaction)
    {
        try
        {
            transaction?.Rollback();
        }
#pragma warning disable CA1031 // SQLite may already have rolled back (e.g. after SQLITE_FULL); the batch fails either way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }
}
