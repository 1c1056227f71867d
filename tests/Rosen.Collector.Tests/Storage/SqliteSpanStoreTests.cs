using Microsoft.Data.Sqlite;
using Rosen.Collector.Storage;

namespace Rosen.Collector.Tests.Storage;

public sealed class SqliteSpanStoreTests : SpanStoreConformanceTests
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"rosen-store-{Guid.NewGuid():N}.db");

    public override ValueTask DisposeAsync()
    {
        ((SqliteSpanStore)Store).Dispose();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        return ValueTask.CompletedTask;
    }

    protected override Task<ISpanStore> CreateStoreAsync() => Task.FromResult<ISpanStore>(new SqliteSpanStore($"Data Source={path}"));

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path}");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql.Replace("{schema}.", string.Empty, StringComparison.Ordinal);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
