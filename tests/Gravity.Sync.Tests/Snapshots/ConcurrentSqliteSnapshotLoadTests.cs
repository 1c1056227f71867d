using Gravity.Sync.Hosting;
using Gravity.Sync.Tests.Infrastructure;

namespace Gravity.Sync.Tests.Snapshots;

/// <summary>
/// SQLite has no lock a load can hold across its many transactions, so synchronizers of one process take a lock of the
/// process per database file: two of them starting on a new SQLite database load it once.
/// </summary>
public sealed class ConcurrentSqliteSnapshotLoadTests
{
    [Fact]
    public async Task Two_synchronizers_of_one_process_starting_on_a_new_SQLite_database_load_it_once()
    {
        var directory = TempDirectory.Create();
        var history = UserModel.History(keys: 1500, events: 2400, seed: 73);
        await SnapshotScenario.PrepareHistoryAsync(directory, history[..2000], compactUpTo: 1800);
        var db2 = Path.Combine(directory, "db2.db");
        await SnapshotScenario.ExecuteAsync(db2, """
            CREATE TABLE gravity_snapshot (id INTEGER NOT NULL, origin TEXT NOT NULL, started_at INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, PRIMARY KEY (id));
            CREATE TABLE snapshot_loads (origin TEXT);
            CREATE TRIGGER gravity_snapshot_loads AFTER INSERT ON gravity_snapshot BEGIN INSERT INTO snapshot_loads VALUES (NEW.origin); END;
            """);

        Task<SyncHarness> StartAsync() => SyncHarness.StartAsync(
            d => SyncHarness.Rules(SnapshotScenario.TwoDatabases("db1", "db2"), SyncHarness.Sqlite("db1", d), SyncHarness.Sqlite("db2", d)),
            o =>
            {
                o.Partitions = 1;
                o.MaxBatchRows = 50;
                o.Databases["db2"] = new GravityDatabaseOptions { SnapshotFrom = "db1" };
            },
            directory: directory);
        var starting = new[] { StartAsync(), StartAsync() };
        try
        {
            var instances = await Task.WhenAll(starting);
            await SnapshotScenario.AppendSlowlyAsync(directory, history[2000..], TimeSpan.FromSeconds(0.5));
            await Task.WhenAll(instances.Select(i => i.WaitForCatchUpAsync(TimeSpan.FromSeconds(60))));

            Assert.Equal(UserModel.Fold(history), await SnapshotScenario.ReadUsersAsync(directory, "db2"));
            Assert.Equal(1, await SnapshotScenario.ScalarAsync(db2, "SELECT COUNT(*) FROM snapshot_loads"));
        }
        finally
        {
            // Stop both before either deletes the folder they share.
            var started = starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result).ToList();
            await Task.WhenAll(started.Select(s => s.StopAsync()));
            foreach (var instance in started)
            {
                await instance.DisposeAsync();
            }
        }
    }
}
