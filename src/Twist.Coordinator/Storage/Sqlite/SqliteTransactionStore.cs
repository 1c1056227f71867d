using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using static Twist.Coordinator.Storage.Sqlite.SqliteRowReaders;

namespace Twist.Coordinator.Storage.Sqlite;

/// <summary>
/// The default <see cref="ITransactionStore"/>: one SQLite file in WAL mode. Writes are group-committed through a single
/// writer (<see cref="SqliteWriteQueue"/>); reads run on pooled read-only connections in parallel with it.
/// </summary>
/// <remarks>
/// Reads are synchronous and return completed tasks: Microsoft.Data.Sqlite has no asynchronous I/O (its async methods
/// run synchronously), and its documentation advises against calling them.
/// </remarks>
internal sealed partial class SqliteTransactionStore : ITransactionStore
{
    private const string SelectTransaction = "SELECT " + TransactionColumns + " FROM transactions WHERE tid = $tid";
    private const string SelectParticipants = "SELECT " + ParticipantColumns + " FROM participants WHERE tid = $tid ORDER BY id";

    private readonly string _path;
    private readonly string _writerConnectionString;
    private readonly string _readerConnectionString;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<SqliteTransactionStore> _logger;
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private volatile SqliteWriteQueue? _writeQueue;
    private volatile bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqliteTransactionStore"/> class; no I/O until <see cref="InitializeAsync"/>.</summary>
    /// <param name="path">The database file; created if missing. Must be a file (not <c>:memory:</c>) so readers share it.</param>
    /// <param name="timeProvider">Measures commit latency.</param>
    /// <param name="logger">The logger.</param>
    public SqliteTransactionStore(string path, TimeProvider timeProvider, ILogger<SqliteTransactionStore> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _path = path;
        _timeProvider = timeProvider;
        _logger = logger;

        // The writer is dedicated (never pooled) and owns the schema; readers are pooled and read-only, so a bug in a
        // read path cannot write behind the group-commit loop's back.
        _writerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            ForeignKeys = true,
        }.ToString();
        _readerConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = true,
        }.ToString();
    }

    /// <summary>Gets how many SQLite transactions the writer has committed; fewer than the writes when batching works.</summary>
    internal long CommitCount => _writeQueue?.CommitCount ?? 0;

    /// <summary>Gets how many write operations the writer has run.</summary>
    internal long WriteOperationCount => _writeQueue?.OperationCount ?? 0;

    /// <inheritdoc />
    /// <remarks>One writer connection drains one queue in order; the file belongs to one coordinator instance.</remarks>
    public bool IsSingleWriter => true;

    /// <inheritdoc />
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_writeQueue is not null)
            {
                return;
            }

            var connection = new SqliteConnection(_writerConnectionString);
            try
            {
                await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
                SqliteSchema.ConfigureWriter(connection, _path, _logger);
                SqliteSchema.Migrate(connection, _path, _logger);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            _writeQueue = new SqliteWriteQueue(connection, _timeProvider, _logger);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops taking writes, lets the queued ones commit, then closes every connection to the file.</summary>
    /// <returns>A task that completes when the file is closed.</returns>
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
            if (_writeQueue is { } queue)
            {
                await queue.DisposeAsync().ConfigureAwait(false);
            }

            // Pooled readers would otherwise keep the file (and its -wal/-shm) open after the store is gone.
            using var pooled = new SqliteConnection(_readerConnectionString);
            SqliteConnection.ClearPool(pooled);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private Task<T> WriteAsync<T>(Func<SqliteSession, T> work, CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteTransactionStore)));
        }

        var queue = _writeQueue;
        return queue is null ? Task.FromException<T>(NotInitialized()) : queue.EnqueueAsync(work, cancellationToken);
    }

    private Task<T> Read<T>(Func<SqliteSession, T> read, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        if (_disposed)
        {
            return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteTransactionStore)));
        }

        if (_writeQueue is null)
        {
            return Task.FromException<T>(NotInitialized());
        }

        try
        {
            using var connection = new SqliteConnection(_readerConnectionString);
            connection.Open();

            // One snapshot for every statement of the read, so a transaction and its participants agree.
            using var snapshot = connection.BeginTransaction(deferred: true);
            using var session = new SqliteSession(connection) { Transaction = snapshot };
            return Task.FromResult(read(session));
        }
#pragma warning disable CA1031 // Handed to the caller through the task, like an asynchronous failure.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException<T>(ex);
        }
    }

    private static InvalidOperationException NotInitialized() =>
        new("The SQLite transaction store is not initialized; call InitializeAsync before using it.");

    private static StoredTransaction? LoadTransaction(SqliteSession session, string tid)
    {
        StoredTransaction transaction;
        using (var reader = session.Command(SelectTransaction).With("$tid", tid).ExecuteReader())
        {
            if (!reader.Read())
            {
                return null;
            }

            transaction = ReadTransaction(reader);
        }

        var participants = new List<StoredParticipant>();
        using (var reader = session.Command(SelectParticipants).With("$tid", tid).ExecuteReader())
        {
            while (reader.Read())
            {
                participants.Add(ReadParticipant(reader));
            }
        }

        return transaction with { Participants = participants };
    }
}
