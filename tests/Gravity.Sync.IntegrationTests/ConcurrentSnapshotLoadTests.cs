using Gravity.Sync.Hosting;
using Gravity.Sync.IntegrationTests.Infrastructure;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Gravity.Sync.IntegrationTests;

/// <summary>
/// Several synchronizer instances (scale-out) all start a new database's <c>SnapshotFrom</c> load; the database's
/// load lock lets one load it, and the others wait for that load and start from the checkpoints it wrote. A trigger on
/// the loading marker counts the loads that began.
/// </summary>
public abstract class ConcurrentSnapshotLoadTests<TDatabase>(TDatabase server) : IClassFixture<TDatabase>
    where TDatabase : ServerDatabase
{
    private const int LoadStarting = 5400, LoadWaiting = 5406, LoadedElsewhere = 5407;

    protected TDatabase Server { get; } = server;

    /// <summary>Gravity's marker table created ahead of Gravity (same shape), with a trigger recording each load that begins in <c>snapshot_loads</c>.</summary>
    protected abstract string SnapshotLoadCounterSql { get; }

    [Fact]
    public async Task Two_synchronizers_starting_together_on_a_new_database_load_it_once_and_both_end_equal_to_the_fold()
    {
        var (db2, directory, history) = await PrepareAsync(seed: 71);
        var appending = SnapshotScenario.AppendSlowlyAsync(directory, history[3000..], TimeSpan.FromSeconds(1.5));

        await using var instances = await Instances.StartAsync(db2, directory, 2);
        await appending;
        await instances.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await ReadAsync(db2, UserModel.Select));
        Assert.Equal(["db1"], await ReadAsync(db2, "SELECT origin FROM snapshot_loads"));
        Assert.Equal(1, instances.Count(LoadStarting));
    }

    [Fact]
    public async Task An_instance_that_starts_while_another_loads_does_not_load_again_and_starts_from_its_checkpoints()
    {
        var (db2, directory, history) = await PrepareAsync(seed: 72);
        await using var instances = await Instances.StartAsync(db2, directory, 1);

        // The first instance is loading (its marker is there) when the second one starts.
        Assert.True(await WaitAsync(async () => (await ReadAsync(db2, "SELECT origin FROM snapshot_loads")).Count == 1), "the first instance did not begin its load");
        await instances.AddAsync();
        await SnapshotScenario.AppendSlowlyAsync(directory, history[3000..], TimeSpan.FromSeconds(0.5));
        await instances.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await ReadAsync(db2, UserModel.Select));
        Assert.Equal(["db1"], await ReadAsync(db2, "SELECT origin FROM snapshot_loads"));
        Assert.Equal((1, 0, 0), (instances.Count(LoadStarting, 0), instances.Count(LoadWaiting, 0), instances.Count(LoadedElsewhere, 0)));
        // The second never loads and starts from the first one's checkpoints; whether it had to wait (5406) depends on
        // whether the first load was still running when it asked, which a loaded CI machine does not promise.
        Assert.Equal((0, 1), (instances.Count(LoadStarting, 1), instances.Count(LoadedElsewhere, 1)));
        Assert.InRange(instances.Count(LoadWaiting, 1), 0, 1);
    }

    /// <summary>SQLite database db1 followed 3000 events, of which the log kept only the last 400; db2 on the server is new.</summary>
    private async Task<(Rules.DatabaseDefinition Db2, string Directory, List<(string Name, string Json)> History)> PrepareAsync(int seed)
    {
        var db2 = await Server.CreateDatabaseAsync("db2");
        await Server.ExecuteAsync(db2, SnapshotLoadCounterSql);
        var directory = TempDirectory.Create();
        var history = UserModel.History(keys: 2500, events: 3600, seed: seed);
        await SnapshotScenario.PrepareHistoryAsync(directory, history[..3000], compactUpTo: 2600);
        return (db2, directory, [.. history]);
    }

    private async Task<List<string>> ReadAsync(Rules.DatabaseDefinition database, string sql)
    {
        await using var connection = Server.Connect(database);
        return await Views.ReadAsync(connection, sql);
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(10, TestContext.Current.CancellationToken);
        }

        return false;
    }

    /// <summary>Synchronizer hosts in one folder (one event log, one SQLite db1), all writing db2 with <c>SnapshotFrom = db1</c>.</summary>
    private sealed class Instances(Rules.DatabaseDefinition db2, string directory) : IAsyncDisposable
    {
        private readonly List<SyncHarness> _hosts = [];

        public static async Task<Instances> StartAsync(Rules.DatabaseDefinition db2, string directory, int count)
        {
            var instances = new Instances(db2, directory);
            var starting = Enumerable.Range(0, count).Select(_ => instances.StartOneAsync()).ToList();
            try
            {
                await Task.WhenAll(starting);
            }
            finally
            {
                instances._hosts.AddRange(starting.Where(t => t.IsCompletedSuccessfully).Select(t => t.Result));
            }

            return instances;
        }

        public async Task AddAsync() => _hosts.Add(await StartOneAsync());

        public Task WaitForCatchUpAsync() => Task.WhenAll(_hosts.Select(h => h.WaitForCatchUpAsync(TimeSpan.FromSeconds(60))));

        /// <summary>How many times instance <paramref name="instance"/> (all when <see langword="null"/>) logged event <paramref name="eventId"/>.</summary>
        public int Count(int eventId, int? instance = null) =>
            _hosts.Where((_, i) => instance is null || i == instance)
                .Sum(h => h.Host.Services.GetFakeLogCollector().GetSnapshot().Count(r => r.Id.Id == eventId));

        public async ValueTask DisposeAsync()
        {
            // Stop every instance before any deletes the folder they share.
            await Task.WhenAll(_hosts.Select(h => h.StopAsync()));
            foreach (var host in _hosts)
            {
                await host.DisposeAsync();
            }
        }

        private Task<SyncHarness> StartOneAsync() => SyncHarness.StartAsync(
            d => SyncHarness.Rules(SnapshotScenario.Databases("db1", "db2"), SyncHarness.Sqlite("db1", d), db2),
            o =>
            {
                o.Partitions = 2;
                o.MaxBatchRows = 50; // a load of many transactions, long enough for the second instance to meet it
                o.Databases["db2"] = new GravityDatabaseOptions { SnapshotFrom = "db1" };
            },
            b =>
            {
                b.AddPostgreSql().AddMySql();
                b.Services.AddLogging(l => l.AddFakeLogging().AddFilter("Gravity.Sync.Snapshots", LogLevel.Information));
            },
            directory);
    }
}

/// <summary>The concurrent snapshot loads against PostgreSQL: the lock is a session-level advisory lock.</summary>
public sealed class PostgreSqlConcurrentSnapshotLoadTests(PostgresDatabase server) : ConcurrentSnapshotLoadTests<PostgresDatabase>(server)
{
    protected override string SnapshotLoadCounterSql => """
        CREATE TABLE gravity_snapshot (id INTEGER NOT NULL, origin text NOT NULL, started_at bigint NOT NULL, rows_loaded bigint NOT NULL, PRIMARY KEY (id));
        CREATE TABLE snapshot_loads (seq bigserial PRIMARY KEY, origin text);
        CREATE FUNCTION count_loads() RETURNS trigger AS $$ BEGIN INSERT INTO snapshot_loads (origin) VALUES (NEW.origin); RETURN NEW; END $$ LANGUAGE plpgsql;
        CREATE TRIGGER gravity_snapshot_loads AFTER INSERT ON gravity_snapshot FOR EACH ROW EXECUTE FUNCTION count_loads();
        """;
}

/// <summary>The concurrent snapshot loads against MariaDB: the lock is a GET_LOCK user lock named after the database.</summary>
public sealed class MariaDbConcurrentSnapshotLoadTests(MariaDbDatabase server) : ConcurrentSnapshotLoadTests<MariaDbDatabase>(server)
{
    protected override string SnapshotLoadCounterSql => """
        CREATE TABLE gravity_snapshot (id INTEGER NOT NULL, origin VARCHAR(255) NOT NULL, started_at BIGINT NOT NULL, rows_loaded BIGINT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
        CREATE TABLE snapshot_loads (seq BIGINT AUTO_INCREMENT PRIMARY KEY, origin VARCHAR(255));
        CREATE TRIGGER gravity_snapshot_loads AFTER INSERT ON gravity_snapshot FOR EACH ROW INSERT INTO snapshot_loads (origin) VALUES (NEW.origin);
        """;
}
