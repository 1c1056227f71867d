using Gravity.Sync.Events;
using Gravity.Sync.Rules;
using Gravity.Sync.Targets;
using Gravity.Sync.Targets.Sql;
using Gravity.Sync.Targets.Sqlite;
using Gravity.Sync.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Tests.Sync;

/// <summary>A worker that dies with rows written but not committed: the restart applies them once.</summary>
public sealed class CrashBeforeCommitTests
{
    [Fact]
    public async Task Rows_written_but_not_committed_when_the_worker_dies_are_applied_once_after_restart()
    {
        var history = UserModel.History(keys: 20, events: 1000, seed: 6);
        var gate = new Gate(blockAtCommit: 5);
        var firstRun = true;
        await using var sync = await SyncHarness.StartAsync(
            dir =>
            {
                if (!File.Exists(Path.Combine(dir, "views.db")))
                {
                    OrderingAndRestartTests.CreateAuditedUsersAsync(Path.Combine(dir, "views.db")).GetAwaiter().GetResult();
                }

                return SyncHarness.Rules(UserModel.Rules("views"), SyncHarness.Sqlite("views", dir));
            },
            o => { o.MaxBatchRows = 50; },
            b =>
            {
                if (firstRun)
                {
                    firstRun = false;
                    b.Services.AddSingleton<ITargetWriterFactory>(new GatedFactory(new SqlTargetWriterFactory(SqliteDialect.Instance, TimeProvider.System), gate));
                }
            });
        await sync.Log.AppendAsync([.. history.Select(h => GravityEventData.FromJson(h.Name, h.Json))], TestContext.Current.CancellationToken);

        await gate.Blocked.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        var views = Path.Combine(sync.Directory, "views.db");
        var position = (await sync.Operator.GetStatusAsync(TestContext.Current.CancellationToken))[0].Position;
        Assert.InRange(position, 1, history.Count - 1); // stuck in the middle, the fifth batch's rows written but not committed

        await sync.RestartAsync(abrupt: true); // the blocked commit is abandoned and rolls back
        await sync.WaitForCatchUpAsync();

        Assert.Equal(UserModel.Fold(history), await Views.ReadSqliteAsync(views, UserModel.Select));
        Assert.Empty(await Views.ReadSqliteAsync(views, "SELECT id, version FROM audit GROUP BY id, version HAVING count(*) > 1"));
    }

    private sealed class Gate(int blockAtCommit)
    {
        private readonly TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _commits;

        public Task Blocked => _blocked.Task;

        public async Task BeforeCommitAsync(CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _commits) == blockAtCommit)
            {
                _blocked.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken); // hangs until the host aborts it
            }
        }
    }

    private sealed class GatedFactory(ITargetWriterFactory inner, Gate gate) : ITargetWriterFactory
    {
        public string DatabaseType => inner.DatabaseType;

        public ITargetWriter Create(DatabaseDefinition database) => new GatedWriter(inner.Create(database), gate);
    }

    private sealed class GatedWriter(ITargetWriter inner, Gate gate) : ITargetWriter
    {
        public string Database => inner.Database;

        public int DefaultPartitions => inner.DefaultPartitions;

        public Task<IReadOnlyList<TableSchema>> PrepareAsync(IReadOnlyList<TableRequirement> tables, CancellationToken cancellationToken) => inner.PrepareAsync(tables, cancellationToken);

        public Task<IReadOnlyList<CheckpointEntry>> ReadCheckpointsAsync(string source, CancellationToken cancellationToken) => inner.ReadCheckpointsAsync(source, cancellationToken);

        public Task<IReadOnlyList<ParkedEntry>> ReadParkedAsync(string source, string? table, string? key, CancellationToken cancellationToken) => inner.ReadParkedAsync(source, table, key, cancellationToken);

        public Task<IReadOnlyList<ExportEntry>> ReadExportsAsync(string exporter, int maxCount, CancellationToken cancellationToken) => inner.ReadExportsAsync(exporter, maxCount, cancellationToken);

        public Task RemoveExportsAsync(IReadOnlyList<ExportEntry> entries, CancellationToken cancellationToken) => inner.RemoveExportsAsync(entries, cancellationToken);

        public async Task<ITargetTransaction> BeginAsync(CancellationToken cancellationToken) => new GatedTransaction(await inner.BeginAsync(cancellationToken), gate);

        public bool IsTransient(Exception exception) => inner.IsTransient(exception);

        public string DescribeFailure(Exception exception) => inner.DescribeFailure(exception);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    private sealed class GatedTransaction(ITargetTransaction inner, Gate gate) : ITargetTransaction
    {
        public Task ApplyAsync(IReadOnlyList<RowChange> changes, CancellationToken cancellationToken) => inner.ApplyAsync(changes, cancellationToken);

        public Task TruncateAsync(TableSchema table, long position, CancellationToken cancellationToken) => inner.TruncateAsync(table, position, cancellationToken);

        public Task SaveAsync(string name, CancellationToken cancellationToken) => inner.SaveAsync(name, cancellationToken);

        public Task RollbackToAsync(string name, CancellationToken cancellationToken) => inner.RollbackToAsync(name, cancellationToken);

        public Task ReleaseAsync(string name, CancellationToken cancellationToken) => inner.ReleaseAsync(name, cancellationToken);

        public Task ParkAsync(IReadOnlyList<ParkedEntry> entries, CancellationToken cancellationToken) => inner.ParkAsync(entries, cancellationToken);

        public Task RemoveParkedAsync(IReadOnlyList<ParkedEntry> entries, CancellationToken cancellationToken) => inner.RemoveParkedAsync(entries, cancellationToken);

        public Task UpdateParkedAsync(ParkedEntry entry, string reason, CancellationToken cancellationToken) => inner.UpdateParkedAsync(entry, reason, cancellationToken);

        public Task QueueExportsAsync(IReadOnlyList<ExportEntry> entries, CancellationToken cancellationToken) => inner.QueueExportsAsync(entries, cancellationToken);

        public Task SetCheckpointAsync(string source, CheckpointEntry checkpoint, CancellationToken cancellationToken) => inner.SetCheckpointAsync(source, checkpoint, cancellationToken);

        public async Task CommitAsync(CancellationToken cancellationToken)
        {
            await gate.BeforeCommitAsync(cancellationToken);
            await inner.CommitAsync(cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
