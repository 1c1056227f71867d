using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Twist.Coordinator.Storage.Sqlite;
using Twist.Errors;

namespace Twist.Coordinator.Tests.Storage;

public sealed class SqliteWriteQueueTests : IAsyncLifetime
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"twist-queue-{Guid.NewGuid():N}.db");
    private SqliteWriteQueue _queue = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        var connection = new SqliteConnection($"Data Source={_path};Pooling=False;Foreign Keys=True");
        await connection.OpenAsync(Ct);
        await using (var command = connection.CreateCommand())
        {
            // A deferred foreign key is checked at COMMIT, which gives the test a way to make the commit itself fail.
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE parent (id INTEGER PRIMARY KEY);
                CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);
                """;
            await command.ExecuteNonQueryAsync(Ct);
        }

        _queue = new SqliteWriteQueue(connection, TimeProvider.System, NullLogger.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.DisposeAsync();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }
    }

    [Fact]
    public async Task A_failed_commit_fails_every_write_of_the_batch_and_the_loop_goes_on()
    {
        using var gate = new ManualResetEventSlim();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = _queue.EnqueueAsync(_ => { entered.SetResult(); return gate.Wait(TimeSpan.FromSeconds(30)); }, Ct);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        var valid = _queue.EnqueueAsync(s => Insert(s, "INSERT INTO parent (id) VALUES (1)"), Ct);
        var orphan = _queue.EnqueueAsync(s => Insert(s, "INSERT INTO child (id, parent_id) VALUES (1, 42)"), Ct);
        gate.Set();
        await blocker;

        var error = await Assert.ThrowsAsync<CoordinatorUnavailableException>(() => valid);
        Assert.IsType<SqliteException>(error.InnerException);
        await Assert.ThrowsAsync<CoordinatorUnavailableException>(() => orphan);

        Assert.Equal(1, await _queue.EnqueueAsync(s => Insert(s, "INSERT INTO parent (id) VALUES (2)"), Ct));
        Assert.Equal(0L, await _queue.EnqueueAsync(s => (long)s.Command("SELECT count(*) FROM parent WHERE id = 1").ExecuteScalar()!, Ct));
    }

    [Fact]
    public async Task Writes_after_dispose_throw_object_disposed()
    {
        await _queue.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => _queue.EnqueueAsync(_ => 1, Ct));
    }

    private static int Insert(SqliteSession session, string sql) => session.Command(sql).ExecuteNonQuery();
}
