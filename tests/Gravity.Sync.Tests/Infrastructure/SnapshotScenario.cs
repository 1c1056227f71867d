using Gravity.Sync.EventLog;
using Gravity.Sync.Events;
using Gravity.Sync.Rules;
using Microsoft.Data.Sqlite;

namespace Gravity.Sync.Tests.Infrastructure;

/// <summary>
/// The situation snapshots exist for: database db1 has followed a long history, the log's early events are gone
/// (compacted), and events keep coming while a new database joins. Replaying the log from its beginning would miss
/// rows, so a database that ends equal to the fold of every event must have been filled from a snapshot.
/// </summary>
public static class SnapshotScenario
{
    public const string LogFile = "gravity-events.db";

    /// <summary>Rules writing the users view into two databases.</summary>
    public static string TwoDatabases(string a, string b) => Databases(a, b);

    /// <summary>Rules writing the users view into each database.</summary>
    public static string Databases(params string[] names) =>
        "{\"rules\":[" + string.Join(",", names.Select(n => UserModel.Rules(n).Trim()["{\"rules\":[".Length..^2])) + "]}";

    /// <summary>Lets SQLite database db1 alone follow <paramref name="history"/>, stops it, and deletes the log's events up to <paramref name="compactUpTo"/>.</summary>
    public static Task PrepareHistoryAsync(string directory, IReadOnlyList<(string Name, string Json)> history, long compactUpTo) =>
        PrepareHistoryAsync(directory, d => SyncHarness.Rules(UserModel.Rules("db1"), SyncHarness.Sqlite("db1", d)), history, compactUpTo);

    /// <summary>Lets the databases of <paramref name="rules"/> follow <paramref name="history"/>, stops, and deletes the log's events up to <paramref name="compactUpTo"/>.</summary>
    public static async Task PrepareHistoryAsync(string directory, Func<string, GravityRuleSet> rules, IReadOnlyList<(string Name, string Json)> history, long compactUpTo)
    {
        var first = await SyncHarness.StartAsync(rules, o => o.Partitions = 2, directory: directory);
        await first.Log.AppendAsync([.. history.Select(h => GravityEventData.FromJson(h.Name, h.Json))], TestContext.Current.CancellationToken);
        await first.WaitForCatchUpAsync(TimeSpan.FromSeconds(60));
        await first.StopAsync();
        await ExecuteAsync(Path.Combine(directory, LogFile), $"DELETE FROM gravity_events WHERE position <= {compactUpTo}");
    }

    /// <summary>Appends events through a second handle on the log file, as another process would, a few at a time.</summary>
    public static Task AppendSlowlyAsync(string directory, IReadOnlyList<(string Name, string Json)> events, TimeSpan over) => Task.Run(async () =>
    {
        using var log = new SqliteEventLog(Path.Combine(directory, LogFile));
        var pause = over / Math.Max(1, events.Count / 5);
        for (var i = 0; i < events.Count; i += 5)
        {
            await log.AppendAsync([.. events.Skip(i).Take(5).Select(e => GravityEventData.FromJson(e.Name, e.Json))], TestContext.Current.CancellationToken);
            await Task.Delay(pause, TestContext.Current.CancellationToken);
        }
    });

    public static Task<List<string>> ReadUsersAsync(string directory, string database) =>
        Views.ReadSqliteAsync(Path.Combine(directory, database + ".db"), UserModel.Select);

    public static async Task ExecuteAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<long> ScalarAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
