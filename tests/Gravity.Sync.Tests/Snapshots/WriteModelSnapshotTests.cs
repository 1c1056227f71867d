using System.Runtime.CompilerServices;
using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Hosting;
using Gravity.Sync.Snapshots;
using Gravity.Sync.Targets;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Tests.Snapshots;

/// <summary>
/// A snapshot source of the application's own: its write model, read with the log's head taken first, so the rows
/// reflect at least every event up to it. The documented recipe for filling a view when no database has it yet.
/// </summary>
public sealed class WriteModelSnapshotTests
{
    [Fact]
    public async Task A_view_is_filled_from_the_write_model_and_follows_the_events_written_meanwhile()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = TempDirectory.Create();
        var writeModel = Path.Combine(directory, "app.db");
        await SnapshotScenario.ExecuteAsync(writeModel, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name TEXT NOT NULL, version INTEGER NOT NULL)");
        var history = UserModel.History(keys: 600, events: 3500, seed: 45);
        using (var log = new SqliteEventLog(Path.Combine(directory, SnapshotScenario.LogFile)))
        {
            await WriteAsync(writeModel, log, history[..3000], chunk: 3000, TimeSpan.Zero);
        }

        // The log kept only its recent events: the view cannot be rebuilt by replaying it.
        await SnapshotScenario.ExecuteAsync(Path.Combine(directory, SnapshotScenario.LogFile), "DELETE FROM gravity_events WHERE position <= 2500");

        var writing = Task.Run(
            async () =>
            {
                using var log = new SqliteEventLog(Path.Combine(directory, SnapshotScenario.LogFile));
                await WriteAsync(writeModel, log, history[3000..], chunk: 10, TimeSpan.FromMilliseconds(5));
            },
            ct);
        await using var sync = await SyncHarness.StartAsync(
            d => SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", d)),
            o => o.Databases["views"] = new GravityDatabaseOptions { SnapshotFrom = "write-model" },
            b => b.AddSnapshotSource(sp => new WriteModelSnapshotSource(writeModel, sp.GetRequiredService<IGravityEventLog>())),
            directory);
        await writing;
        await sync.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(UserModel.Fold(history), await SnapshotScenario.ReadUsersAsync(directory, "views"));
    }

    /// <summary>Each few changes commit to the write model first, then their events are appended (as an outbox relay would).</summary>
    private static async Task WriteAsync(string writeModel, SqliteEventLog log, IReadOnlyList<(string Name, string Json)> events, int chunk, TimeSpan pause)
    {
        await using var connection = new SqliteConnection($"Data Source={writeModel};Pooling=false");
        await connection.OpenAsync();
        for (var i = 0; i < events.Count; i += chunk)
        {
            var slice = events.Skip(i).Take(chunk).ToList();
            await using (var transaction = connection.BeginTransaction())
            {
                foreach (var (name, json) in slice)
                {
                    var root = System.Text.Json.JsonDocument.Parse(json).RootElement;
                    await using var command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = name == "userDeleted"
                        ? "DELETE FROM accounts WHERE id = $id"
                        : "INSERT INTO accounts (id, name, version) VALUES ($id, $name, $version) ON CONFLICT (id) DO UPDATE SET name = excluded.name, version = excluded.version";
                    command.Parameters.AddWithValue("$id", root.GetProperty("id").GetInt64());
                    if (name != "userDeleted")
                    {
                        command.Parameters.AddWithValue("$name", root.GetProperty("name").GetString());
                        command.Parameters.AddWithValue("$version", root.GetProperty("version").GetInt64());
                    }

                    await command.ExecuteNonQueryAsync();
                }

                await transaction.CommitAsync();
            }

            await log.AppendAsync([.. slice.Select(e => GravityEventData.FromJson(e.Name, e.Json))]);
            await Task.Delay(pause);
        }
    }

    private sealed class WriteModelSnapshotSource(string writeModel, IGravityEventLog log) : IGravitySnapshotSource
    {
        public string Name => "write-model";

        public async Task<IGravitySnapshot> OpenAsync(GravitySnapshotRequest request, CancellationToken cancellationToken)
        {
            // The head first: every event up to it was appended after its write committed, so the rows read next
            // reflect at least all of them (later writes too, which the live stream then applies again harmlessly).
            var head = await log.GetHeadPositionAsync(cancellationToken);
            return new Snapshot(writeModel, new Dictionary<string, long> { [log.Name] = head });
        }
    }

    private sealed class Snapshot(string writeModel, IReadOnlyDictionary<string, long> positions) : IGravitySnapshot
    {
        public IReadOnlyDictionary<string, long> Positions => positions;

        public async IAsyncEnumerable<GravitySnapshotRow> ReadRowsAsync(TableSchema table, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await using var connection = new SqliteConnection($"Data Source={writeModel};Pooling=false");
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT id, name, version FROM accounts";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                yield return new GravitySnapshotRow(new Dictionary<string, object?> { ["id"] = reader.GetInt64(0), ["name"] = reader.GetString(1), ["version"] = reader.GetInt64(2) });
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
