using System.Data.Common;

namespace Twist.Participants.Hosting;

/// <summary>Opens guard connections on a SQLite file.</summary>
internal static class SqliteGuardConnections
{
    /// <summary>
    /// Opens a connection and sets <c>busy_timeout</c>: concurrent guarded calls contend for SQLite's single writer
    /// lock, and without it Microsoft.Data.Sqlite answers contention by sleeping 150 ms between retries, which cut the
    /// guarded participant's throughput about tenfold in the benchmark (docs/benchmarks.md). SQLite's own busy handler
    /// waits in steps of a few milliseconds instead.
    /// </summary>
    public static async ValueTask<DbConnection> OpenAsync(DbDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA busy_timeout = 30000";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

}
