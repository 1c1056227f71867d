using Microsoft.Data.Sqlite;

namespace Company.Participant1.Wallet;

public sealed record WalletBalance(string Account, long Balance, long Held);

/// <summary>The wallet tables, in the same SQLite database as the Twist guard.</summary>
public sealed class WalletStore(string connectionString)
{
    public void EnsureCreated()
    {
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
        }

        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            CREATE TABLE IF NOT EXISTS wallet (account TEXT PRIMARY KEY, balance INTEGER NOT NULL CHECK (balance >= 0), held INTEGER NOT NULL DEFAULT 0 CHECK (held >= 0));
            CREATE TABLE IF NOT EXISTS wallet_hold (tid TEXT PRIMARY KEY, account TEXT NOT NULL, amount INTEGER NOT NULL);
            """;
        command.ExecuteNonQuery();
    }

    public async Task OpenAccountAsync(string account, long balance, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO wallet (account, balance) VALUES (@account, @balance) ON CONFLICT (account) DO UPDATE SET balance = excluded.balance";
        command.Parameters.AddWithValue("@account", account);
        command.Parameters.AddWithValue("@balance", balance);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<WalletBalance?> FindAsync(string account, CancellationToken cancellationToken)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT balance, held FROM wallet WHERE account = @account";
        command.Parameters.AddWithValue("@account", account);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new WalletBalance(account, reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }
}
