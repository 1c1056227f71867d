using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Outbox;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Gravity.Sync.Tests.EventLog;

/// <summary>The outbox writes events in the business transaction; the relay moves committed ones into the log.</summary>
public sealed class OutboxTests : IDisposable
{
    private readonly string _directory = TempDirectory.Create();
    private readonly SqliteEventLog _log;
    private readonly string _app;

    public OutboxTests()
    {
        _log = new SqliteEventLog(Path.Combine(_directory, "events.db"));
        _app = $"Data Source={Path.Combine(_directory, "app.db")}";
    }

    public void Dispose()
    {
        _log.Dispose();
        TempDirectory.Delete(_directory);
    }

    private async Task<SqliteConnection> OpenAppAsync()
    {
        var connection = new SqliteConnection(_app);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await GravityOutbox.EnsureTableAsync(connection, TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT)";
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private static async Task AddUserAsync(SqliteConnection connection, int id, bool commit)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO users (id, name) VALUES ($id, 'n')";
            insert.Parameters.AddWithValue("$id", id);
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await GravityOutbox.AppendAsync(transaction, GravityEventData.FromJson("userCreated", $"{{\"id\":{id}}}", key: id.ToString(System.Globalization.CultureInfo.InvariantCulture)), TestContext.Current.CancellationToken);
        if (commit)
        {
            await transaction.CommitAsync(TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task Only_committed_events_are_relayed_in_commit_order()
    {
        await using (var connection = await OpenAppAsync())
        {
            await AddUserAsync(connection, 1, commit: true);
            await AddUserAsync(connection, 2, commit: false); // rolled back: neither the user nor the event exists
            await AddUserAsync(connection, 3, commit: true);
        }

        var relay = new SqliteOutboxRelay(_app, _log);
        Assert.Equal(2, await relay.RelayOnceAsync(100, TestContext.Current.CancellationToken));
        Assert.Equal(0, await relay.RelayOnceAsync(100, TestContext.Current.CancellationToken));

        var events = await _log.ReadAsync(0, 10, TestContext.Current.CancellationToken);
        Assert.Equal(["1", "3"], events.Select(e => e.Key));
        Assert.All(events, e => Assert.Equal("userCreated", e.Name));
    }

    [Fact]
    public async Task A_relay_that_crashed_before_deleting_does_not_duplicate_events()
    {
        await using (var connection = await OpenAppAsync())
        {
            await AddUserAsync(connection, 1, commit: true);
        }

        // Simulate the crash window: the events reach the log but the outbox rows are not deleted.
        await using (var connection = await OpenAppAsync())
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT id, name, payload FROM gravity_outbox";
            await using var reader = await read.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
            await _log.AppendAsync(new GravityEventData { Id = reader.GetString(0), Name = reader.GetString(1), Payload = (byte[])reader.GetValue(2) }, TestContext.Current.CancellationToken);
        }

        await new SqliteOutboxRelay(_app, _log).RelayOnceAsync(100, TestContext.Current.CancellationToken);

        Assert.Single(await _log.ReadAsync(0, 10, TestContext.Current.CancellationToken));
    }
}
