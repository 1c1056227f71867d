using Gravity.Sync.Events;
using Microsoft.Data.Sqlite;

namespace Gravity.Sync.EventLog;

/// <summary>
/// The default event source: a durable, append-only log in one SQLite file (WAL, full sync). Positions come from an
/// AUTOINCREMENT key, so they only grow and are never reused; SQLite's single writer means a reader never sees a
/// position appear behind one it has already read.
/// </summary>
public sealed class SqliteEventLog : IGravityEventLog, IGravityEventPublisher, IDisposable
{
    private readonly string _connectionString;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _appendLock = new(1, 1);
    private readonly AppendSignal _signal = new();
    private bool _initialized;
    private long _head = -1;

    /// <summary>Initializes a new instance of the <see cref="SqliteEventLog"/> class.</summary>
    /// <param name="path">The database file; created when missing.</param>
    /// <param name="timeProvider">The clock that stamps appended events.</param>
    /// <param name="name">The source name checkpoints are recorded under.</param>
    public SqliteEventLog(string path, TimeProvider? timeProvider = null, string name = DefaultName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(name);
        Path = System.IO.Path.GetFullPath(path);
        Name = name;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _connectionString = new SqliteConnectionStringBuilder { DataSource = Path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    /// <summary>The default source name of the embedded log.</summary>
    public const string DefaultName = "embedded";

    /// <summary>Gets the full path of the database file.</summary>
    public string Path { get; }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<GravityEventData> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return [];
        }

        var positions = new long[events.Count];
        await _appendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = SqliteEventLogSchema.Insert;
            var now = _timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
            for (var i = 0; i < events.Count; i++)
            {
                var e = events[i];
                ArgumentNullException.ThrowIfNull(e, nameof(events));
                insert.Parameters.Clear();
                insert.Parameters.AddWithValue("@id", e.Id);
                insert.Parameters.AddWithValue("@name", e.Name);
                insert.Parameters.AddWithValue("@key", (object?)e.Key ?? DBNull.Value);
                insert.Parameters.AddWithValue("@payload", e.Payload.ToArray());
                insert.Parameters.AddWithValue("@traceParent", (object?)e.TraceParent ?? DBNull.Value);
                insert.Parameters.AddWithValue("@traceState", (object?)e.TraceState ?? DBNull.Value);
                insert.Parameters.AddWithValue("@createdAt", e.Timestamp?.ToUnixTimeMilliseconds() ?? now);
                positions[i] = Convert.ToInt64(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            _head = Math.Max(_head, positions.Max());
        }
        finally
        {
            _appendLock.Release();
        }

        _signal.Raise();
        return positions;
    }

    /// <inheritdoc />
    async ValueTask IGravityEventPublisher.PublishAsync(IReadOnlyList<GravityEventData> events, CancellationToken cancellationToken) =>
        await AppendAsync(events, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<GravityEvent>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteEventLogSchema.Read;
        command.Parameters.AddWithValue("@after", afterPosition);
        command.Parameters.AddWithValue("@limit", maxCount);
        var events = new List<GravityEvent>(Math.Min(maxCount, 1024));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);

        // Read, not ReadAsync: SQLite reads in the calling thread either way, and this runs for every event.
        while (reader.Read())
        {
            events.Add(new GravityEvent
            {
                Position = reader.GetInt64(0),
                Id = reader.GetString(1),
                Name = reader.GetString(2),
                Key = reader.IsDBNull(3) ? null : reader.GetString(3),
                Payload = (byte[])reader.GetValue(4),
                TraceParent = reader.IsDBNull(5) ? null : reader.GetString(5),
                TraceState = reader.IsDBNull(6) ? null : reader.GetString(6),
                Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
            });
        }

        return events;
    }

    /// <inheritdoc />
    public async ValueTask WaitAsync(long afterPosition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var next = _signal.Next;
        if (Volatile.Read(ref _head) > afterPosition)
        {
            return;
        }

        try
        {
            await next.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Nothing appended in this process; the caller reads anyway, which finds appends made by other processes.
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> GetHeadPositionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = SqliteEventLogSchema.Head;
        var head = Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        return head;
    }

    /// <summary>Releases the append lock.</summary>
    public void Dispose() => _appendLock.Dispose();

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            if (!_initialized)
            {
                await SqliteEventLogSchema.CreateAsync(connection, cancellationToken).ConfigureAwait(false);
                _initialized = true;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
