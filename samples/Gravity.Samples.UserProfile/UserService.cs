using Gravity.Sync.Events;
using Gravity.Sync.Outbox;
using Microsoft.Data.Sqlite;

namespace Gravity.Samples.UserProfile;

/// <summary>
/// The write side: keeps users in its own SQLite database and records each domain event in the outbox in the same
/// transaction, so a user exists if and only if its event does. Gravity's relay moves the events into the event log.
/// </summary>
public sealed class UserService(string connectionString)
{
    public async Task InitializeAsync()
    {
        await using var connection = await OpenAsync();
        await GravityOutbox.EnsureTableAsync(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE IF NOT EXISTS users (user_id TEXT PRIMARY KEY, data TEXT NOT NULL)";
        await command.ExecuteNonQueryAsync();
    }

    public Task AddUserAsync(UserAdded user) => WriteAsync(
        "INSERT INTO users (user_id, data) VALUES ($id, $data)", user.UserId, user.Name,
        GravityEventData.Create("UserAdded", user, EventJson.Default.UserAdded, key: user.UserId));

    public Task ChangeIncomeAsync(UserIncomeChanged change) => WriteAsync(
        "UPDATE users SET data = data || ' income:' || $data WHERE user_id = $id", change.UserId, change.Income.ToString(System.Globalization.CultureInfo.InvariantCulture),
        change.ToGravityEvent()); // generated from [Projection]: the payload its rules read, keyed by [Key]

    public Task RemoveUserAsync(UserRemoved removed) => WriteAsync(
        "DELETE FROM users WHERE user_id = $id AND $data IS NOT NULL", removed.UserId, "-",
        removed.ToGravityEvent());

    private async Task WriteAsync(string sql, string id, string data, GravityEventData gravityEvent)
    {
        await using var connection = await OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = sql;
            command.Parameters.AddWithValue("$id", id);
            command.Parameters.AddWithValue("$data", data);
            await command.ExecuteNonQueryAsync();
        }

        await GravityOutbox.AppendAsync(transaction, gravityEvent);
        await transaction.CommitAsync();
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }
}
