using Microsoft.Data.Sqlite;

namespace Twist.Samples.Tests.Infrastructure;

/// <summary>Reads a participant's SQLite file directly: its guard rows and its business rows, as the fault test's evidence.</summary>
internal static class ParticipantLedger
{
    /// <summary>The guard rows: tid → state (trying, tried, confirmed, cancelled).</summary>
    public static Dictionary<string, string> GuardStates(string database) =>
        Query(database, "SELECT tid, state FROM twist_guard", r => (r.GetString(0), r.GetString(1))).ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);

    /// <summary>A bank's holds: tid → (account, amount, state held/spent/released).</summary>
    public static Dictionary<string, (string Account, long Amount, string State)> Holds(string database) =>
        Query(database, "SELECT tid, account, amount, state FROM holds", r => (r.GetString(0), (r.GetString(1), r.GetInt64(2), r.GetString(3))))
            .ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);

    /// <summary>A bank's accounts: id → (balance, spent).</summary>
    public static Dictionary<string, (long Balance, long Spent)> Accounts(string database) =>
        Query(database, "SELECT id, balance, spent FROM accounts", r => (r.GetString(0), (r.GetInt64(1), r.GetInt64(2))))
            .ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);

    /// <summary>The game's credits: tid → (user, points, state pending/credited/dropped).</summary>
    public static Dictionary<string, (string User, long Points, string State)> Credits(string database) =>
        Query(database, "SELECT tid, user, points, state FROM credits", r => (r.GetString(0), (r.GetString(1), r.GetInt64(2), r.GetString(3))))
            .ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);

    /// <summary>The game's points: user → points.</summary>
    public static Dictionary<string, long> Points(string database) =>
        Query(database, "SELECT user, points FROM points", r => (r.GetString(0), r.GetInt64(1))).ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);

    private static List<T> Query<T>(string database, string sql, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }
}
