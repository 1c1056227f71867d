using Microsoft.Data.Sqlite;

namespace Twist.Samples.Transfer;

/// <summary>The service's SQLite file, for its read endpoints (the participant handlers use the guard's connection instead).</summary>
/// <param name="connectionString">The SQLite connection string.</param>
public sealed class ServiceDatabase(string connectionString)
{
    /// <summary>Gets the connection string.</summary>
    public string ConnectionString { get; } = connectionString;

    /// <summary>Opens a new connection.</summary>
    /// <param name="cancellationToken">The token to cancel the call.</param>
    /// <returns>The open connection; dispose it.</returns>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }
}
