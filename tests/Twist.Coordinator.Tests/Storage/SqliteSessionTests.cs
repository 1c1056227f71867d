using Microsoft.Data.Sqlite;
using Twist.Coordinator.Storage.Sqlite;

namespace Twist.Coordinator.Tests.Storage;

public sealed class SqliteSessionTests : IDisposable
{
    private const string Insert = "INSERT INTO rows (id, name) VALUES ($id, $name)";
    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly SqliteSession _session;

    public SqliteSessionTests()
    {
        _connection.Open();
        using var command = _connection.CreateCommand();
        command.CommandText = "CREATE TABLE rows (id INTEGER PRIMARY KEY, name TEXT)";
        command.ExecuteNonQuery();
        _session = new SqliteSession(_connection);
    }

    public void Dispose()
    {
        _session.Dispose();
        _connection.Dispose();
    }

    [Fact]
    public void A_reused_command_binds_each_calls_own_values_including_null()
    {
        _session.Command(Insert).With("$id", 1).With("$name", "first").ExecuteNonQuery();
        _session.Command(Insert).With("$id", 2).With("$name", null).ExecuteNonQuery();
        _session.Command(Insert).With("$name", "third").With("$id", 3).ExecuteNonQuery();

        using var reader = _session.Command("SELECT id, name FROM rows ORDER BY id").ExecuteReader();
        var rows = new List<(long, string?)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
        }

        Assert.Equal([(1L, "first"), (2L, null), (3L, "third")], rows);
    }

    [Fact]
    public void A_parameter_not_set_again_fails_the_statement_instead_of_reusing_the_previous_value()
    {
        _session.Command(Insert).With("$id", 1).With("$name", "first").ExecuteNonQuery();

        var command = _session.Command(Insert).With("$id", 2);

        var error = Assert.Throws<InvalidOperationException>(() => command.ExecuteNonQuery());
        Assert.Contains(nameof(SqliteSession.Unset), error.Message, StringComparison.Ordinal);
        Assert.Equal(1L, (long)_session.Command("SELECT count(*) FROM rows").ExecuteScalar()!);
    }

    [Fact]
    public void The_same_parameter_object_is_reused_between_calls()
    {
        var first = _session.Command(Insert).With("$id", 1).With("$name", "a");
        var parameter = first.Parameters["$id"];
        first.ExecuteNonQuery();

        var second = _session.Command(Insert).With("$id", 2).With("$name", "b");

        Assert.Same(parameter, second.Parameters["$id"]);
        Assert.Equal(2, second.Parameters.Count);
    }
}
