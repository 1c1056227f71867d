using Microsoft.Extensions.Logging.Abstractions;
using Twist.Coordinator.Storage;
using Twist.Coordinator.Storage.Sqlite;

namespace Twist.Coordinator.Tests.Storage;

/// <summary>Runs the store conformance tests on SQLite, one database file per test. SQLite-only behaviour: <see cref="SqliteGroupCommitTests"/>.</summary>
public sealed class SqliteTransactionStoreTests : TransactionStoreConformanceTests
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"twist-store-{Guid.NewGuid():N}.db");

    protected override ValueTask CreateDatabaseAsync() => ValueTask.CompletedTask;

    protected override ITransactionStore CreateStore() =>
        new SqliteTransactionStore(_path, TimeProvider.System, NullLogger<SqliteTransactionStore>.Instance);

    protected override ValueTask DropDatabaseAsync()
    {
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(_path + suffix);
        }

        return ValueTask.CompletedTask;
    }
}
