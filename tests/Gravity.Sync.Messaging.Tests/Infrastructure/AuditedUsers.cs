using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Gravity.Sync.Messaging.Tests.Infrastructure;

/// <summary>
/// The users view with an audit trigger: every applied change is recorded in order, so a test sees each key's applied
/// versions (a repeat or a reordering shows), not only the final state.
/// </summary>
public static class AuditedUsers
{
    public static async Task CreateAuditedUsersAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT, version INTEGER, _gravity_position INTEGER NOT NULL);
            CREATE TABLE audit (seq INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER, version INTEGER);
            CREATE TRIGGER users_ins AFTER INSERT ON users BEGIN INSERT INTO audit (id, version) VALUES (NEW.id, NEW.version); END;
            CREATE TRIGGER users_upd AFTER UPDATE ON users BEGIN INSERT INTO audit (id, version) VALUES (NEW.id, NEW.version); END;
            """;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The users rules writing to several databases.</summary>
    public static string RulesFor(params string[] databases)
    {
        var inner = databases.Select(d =>
        {
            var rules = UserModel.Rules(d).Trim();
            var start = rules.IndexOf('[', StringComparison.Ordinal) + 1;
            var end = rules.LastIndexOf(']');
            return rules[start..end];
        });
        return "{\"rules\":[" + string.Join(",", inner) + "]}";
    }

    /// <summary>Versions <paramref name="from"/>..<paramref name="to"/> of every key, one version of all keys after another.</summary>
    public static IEnumerable<(string Name, string Json)> Versions(int keys, int from, int to)
    {
        for (var v = from; v <= to; v++)
        {
            for (var k = 0; k < keys; k++)
            {
                yield return v == 1 ? UserModel.Created(k, "n", v) : UserModel.Renamed(k, "n", v);
            }
        }
    }

    public static List<string> EveryVersionOnceInOrder(int keys, int versions) =>
        [.. Enumerable.Range(0, keys).Select(k => $"{k}|{string.Join(',', Enumerable.Range(1, versions))}").Order(StringComparer.Ordinal)];

    public static Task<List<string>> AuditAsync(string path) =>
        Views.ReadSqliteAsync(path, "SELECT id, group_concat(version, ',') FROM (SELECT id, version FROM audit ORDER BY seq) GROUP BY id");

    public static async Task<long> MinCheckpointAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(min(position), 0) FROM gravity_checkpoints";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
