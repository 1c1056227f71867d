using Microsoft.Data.Sqlite;
using Twist.Coordinator.Storage;
using Twist.Coordinator.Storage.Sqlite;
using Twist.Errors;
using Twist.Transactions;
using static Twist.Coordinator.Tests.Storage.StoreTestData;

namespace Twist.Coordinator.Tests.Storage;

public sealed class SqliteGroupCommitTests : SqliteStoreTestBase
{
    [Fact]
    public async Task Concurrent_writes_all_succeed_with_fewer_commits_than_writes()
    {
        const int Count = 200;
        var commitsBefore = Store.CommitCount;
        var operationsBefore = Store.WriteOperationCount;

        var results = await Task.WhenAll(Enumerable.Range(0, Count).Select(i => Task.Run(
            async () =>
            {
                var tid = $"c{i:D3}";
                await Store.CreateAsync(Active(tid), Ct);
                return await Store.DecideAsync(tid, [Link($"http://svc/{i}")], 64, Confirm, T0.AddSeconds(1), Ct);
            },
            Ct)));

        var commits = Store.CommitCount - commitsBefore;
        var operations = Store.WriteOperationCount - operationsBefore;
        TestContext.Current.TestOutputHelper?.WriteLine($"{operations} writes in {commits} commits");
        Assert.All(results, r => Assert.True(r!.Applied));
        Assert.Equal(2 * Count, operations);
        Assert.True(commits < operations, $"{operations} writes took {commits} commits; group commit did not batch them.");
        var inFlight = await Store.ListInFlightAsync(null, 500, Ct);
        Assert.Equal(Count, inFlight.Count);
        Assert.All(inFlight, t => Assert.Single(t.Participants));
    }

    [Fact]
    public async Task Writes_queued_behind_a_busy_writer_commit_together()
    {
        var (blocker, gate) = await BlockWriterAsync(Store);
        var commitsBefore = Store.CommitCount;

        var creates = Enumerable.Range(0, 50).Select(i => Store.CreateAsync(Active($"q{i}"), Ct)).ToArray();
        gate.Set();
        await blocker;
        await Task.WhenAll(creates);

        // One commit for the blocked batch, one for all fifty queued behind it.
        Assert.Equal(2, Store.CommitCount - commitsBefore);
    }

    [Fact]
    public async Task A_failing_write_does_not_fail_the_rest_of_its_batch()
    {
        await Store.CreateAsync(Active("full"), Ct);
        await Store.CreateAsync(Active("decide-throws"), Ct);
        var (blocker, gate) = await BlockWriterAsync(Store);
        var commitsBefore = Store.CommitCount;

        var before = Enumerable.Range(0, 20).Select(i => Store.CreateAsync(Active($"b{i}"), Ct)).ToArray();
        var overflow = Store.RegisterAsync("full", [Link("http://a/1"), Link("http://a/2"), Link("http://a/3")], 2, Ct);
        var throwing = Store.DecideAsync("decide-throws", [Link("http://a/1")], 10, _ => throw new InvalidOperationException("boom"), T0, Ct);
        var duplicate = Store.CreateAsync(Active("b0"), Ct);
        var after = Enumerable.Range(0, 20).Select(i => Store.CreateAsync(Active($"a{i}"), Ct)).ToArray();
        gate.Set();
        await blocker;

        await Task.WhenAll(before.Concat(after));
        var error = await Assert.ThrowsAsync<TwistValidationException>(() => overflow);
        Assert.Equal(TwistErrorCodes.TooManyParticipants, error.Code);
        await Assert.ThrowsAsync<InvalidOperationException>(() => throwing);
        await Assert.ThrowsAsync<SqliteException>(() => duplicate);
        Assert.Equal(2, Store.CommitCount - commitsBefore);
        Assert.Empty((await Store.GetAsync("full", Ct))!.Participants);
        var undecided = await Store.GetAsync("decide-throws", Ct);
        Assert.Equal(TransactionStatus.Active, undecided!.Status);
        Assert.Empty(undecided.Participants);
        foreach (var tid in Enumerable.Range(0, 20).SelectMany(i => new[] { $"b{i}", $"a{i}" }))
        {
            Assert.NotNull(await Store.GetAsync(tid, Ct));
        }
    }

    [Fact]
    public async Task A_lone_write_that_throws_leaves_nothing_behind_and_the_next_write_commits()
    {
        await Store.CreateAsync(Active("alone"), Ct);

        // Alone in its batch the write runs without a savepoint: the participants it inserted before throwing must go.
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Store.DecideAsync("alone", [Link("http://a/1"), Link("http://a/2")], 10, _ => throw new InvalidOperationException("boom"), T0, Ct));
        await Store.CreateAsync(Active("next"), Ct);

        var alone = await Store.GetAsync("alone", Ct);
        Assert.Equal(TransactionStatus.Active, alone!.Status);
        Assert.Empty(alone.Participants);
        Assert.NotNull(await Store.GetAsync("next", Ct));
    }

    [Fact]
    public async Task A_write_cancelled_while_queued_is_not_applied()
    {
        var (blocker, gate) = await BlockWriterAsync(Store);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var cancelled = Store.CreateAsync(Active("cancelled"), cancellation.Token);
        var kept = Store.CreateAsync(Active("kept"), Ct);
        await cancellation.CancelAsync();
        gate.Set();
        await blocker;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        await kept;
        Assert.Null(await Store.GetAsync("cancelled", Ct));
        Assert.NotNull(await Store.GetAsync("kept", Ct));
    }

    [Fact]
    public async Task Data_survives_closing_and_reopening_the_file()
    {
        await DecidedAsync("t1", links: "http://a/1");
        await Store.AppendAuditAsync(new AuditEntry { At = T0, Actor = "ops", Action = "note", Tid = "t1", Outcome = "ok" }, Ct);

        // Not awaited before dispose: disposing must still commit every queued write.
        var pending = Enumerable.Range(0, 30).Select(i => Store.CreateAsync(Active($"p{i}"), Ct)).ToArray();
        await Store.DisposeAsync();
        await Task.WhenAll(pending);

        await using var reopened = await OpenAsync();
        var read = await reopened.GetAsync("t1", Ct);
        Assert.Equal(TransactionStatus.Confirming, read!.Status);
        Assert.Single(read.Participants);
        Assert.Single(await reopened.ListAuditAsync("t1", 10, Ct));
        Assert.Equal(31, (await reopened.QueryAsync(new TransactionQuery { Limit = 500 }, Ct)).Items.Count);
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_with_a_schema_version()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();

        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", await command.ExecuteScalarAsync(Ct));
        command.CommandText = "PRAGMA user_version;";
        Assert.Equal((long)SqliteSchema.CurrentVersion, await command.ExecuteScalarAsync(Ct));
    }

    [Fact]
    public async Task A_file_from_before_trace_contexts_were_kept_is_upgraded_and_keeps_its_transactions()
    {
        await Store.CreateAsync(StoreTestData.Active("old"), Ct);
        await Store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            // Back to schema version 1 as the previous release wrote it.
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "ALTER TABLE transactions DROP COLUMN trace_parent; PRAGMA user_version = 1;";
            await command.ExecuteNonQueryAsync(Ct);
        }

        await using var upgraded = await OpenAsync();
        await upgraded.CreateAsync(StoreTestData.Active("new") with { TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" }, Ct);

        Assert.Null((await upgraded.GetAsync("old", Ct))!.TraceParent);
        Assert.NotNull((await upgraded.GetAsync("new", Ct))!.TraceParent);
    }

    [Fact]
    public async Task A_file_from_a_newer_version_is_refused()
    {
        await Store.DisposeAsync();
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA user_version = 99;";
            await command.ExecuteNonQueryAsync(Ct);
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NewStore().InitializeAsync(Ct));
        Assert.Contains("99", error.Message, StringComparison.Ordinal);
    }
}
