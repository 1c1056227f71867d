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
/// An operation that throws (a validation error, a constraint violation) is rolled back alone and the rest of the
/// batch still commits: the batch then runs again with a SAVEPOINT around each operation. No caller sees its result
/// before the commit, so a completed task always means a durable write; if the commit fails, every operation of the
/// batch fails.
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

        // Run the writes without a savepoint each (two statements fewer per write). When one throws, the transaction is
        // rolled back and, if the batch holds other writes, it runs again with a savepoint around each write, so only
        // the failing one is undone. Writes are functions of the database alone, so running one again is safe, and
        // falling back to savepoints (rather than re-running without the failed write) keeps a flood of failing writes
        // from costing more than two passes.
        var run = RunInTransaction(isolateEach: false, out var failure);
        if (run == BatchRun.WriteFailed && _batch.Count > 1)
        {
            run = RunInTransaction(isolateEach: true, out failure);
        }

        if (run == BatchRun.TransactionFailed)
        {
            _logger.BatchFailed(failure!, _batch.Count);
            var unavailable = new CoordinatorUnavailableException(
                "The SQLite transaction store could not commit the write, so nothing of it was saved. Check the database file and disk, then retry.",
                failure);
            foreach (var operation in _batch)
            {
                operation.Fail(unavailable);
            }

            return;
        }

        if (run == BatchRun.Committed)
        {
            Interlocked.Increment(ref _commits);
        }

        var elapsed = _timeProvider.GetElapsedTime(started);
        if (elapsed > SlowCommit)
        {
            _logger.SlowCommit(elapsed, _batch.Count);
        }

        // Each operation completes with its own result or exception (a lone write that threw was rolled back).
        foreach (var operation in _batch)
        {
            operation.Publish();
        }
    }

    private BatchRun RunInTransaction(bool isolateEach, out Exception? failure)
    {
        failure = null;
        SqliteTransaction? transaction = null;
        try
        {
            transaction = _connection.BeginTransaction(deferred: false);
            _session.Transaction = transaction;
            foreach (var operation in _batch)
            {
                if (isolateEach)
                {
                    RunIsolated(operation);
                }
                else if (!TryRun(operation))
                {
                    TryRollback(transaction);
                    return BatchRun.WriteFailed;
                }
            }

            transaction.Commit();
            return BatchRun.Committed;
        }
        catch (Exception ex)
        {
            failure = ex;
            TryRollback(transaction);
            return BatchRun.TransactionFailed;
        }
        finally
        {
            _session.Transaction = null;
            transaction?.Dispose();
        }
    }

    private bool TryRun(SqliteWriteOperation operation)
    {
        try
        {
            operation.Execute(_session);
            return true;
        }
#pragma warning disable CA1031 // The operation keeps its exception for its caller; the batch must go on.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private void RunIsolated(SqliteWriteOperation operation)
    {
        // Plain SQL through the session's prepared commands: SqliteTransaction.Save/Release would re-parse every time.
        _session.Command("SAVEPOINT " + Savepoint).ExecuteNonQuery();
        if (!TryRun(operation))
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

    private enum BatchRun
    {
        /// <summary>Every write ran (some may have failed alone, under savepoints) and the transaction committed.</summary>
        Committed,

        /// <summary>A write threw without a savepoint around it; the transaction was rolled back.</summary>
        WriteFailed,

        /// <summary>BEGIN, COMMIT or a savepoint statement failed; nothing of the batch was saved.</summary>
        TransactionFailed,
    }
}
