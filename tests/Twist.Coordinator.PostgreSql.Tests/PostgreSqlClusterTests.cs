using Npgsql;
using Twist.Coordinator.Storage;
using Twist.Transactions;
using static Twist.Coordinator.Tests.Storage.StoreTestData;

namespace Twist.Coordinator.PostgreSql.Tests;

/// <summary>Several coordinator instances (one store each) sharing one schema, as a cluster does.</summary>
public sealed class PostgreSqlClusterTests(PostgreSqlServer server) : SharedSchemaTests(server)
{
    [Fact]
    public async Task Two_coordinators_deciding_one_transaction_at_once_apply_exactly_one_decision()
    {
        var (a, b) = (await OpenAsync(), await OpenAsync());
        for (var i = 0; i < 40; i++)
        {
            var tid = $"race-{i}";
            await a.CreateAsync(Active(tid), Ct);
            using var start = new Barrier(2);

            var results = await Task.WhenAll(
                Task.Run(() => { start.SignalAndWait(Ct); return a.DecideAsync(tid, [Link("http://a/1")], 10, Confirm, T0, Ct); }, Ct),
                Task.Run(() => { start.SignalAndWait(Ct); return b.DecideAsync(tid, [Link("http://b/1")], 10, _ => new Decision(TransactionStatus.Cancelling, "requested"), T0, Ct); }, Ct));

            var winner = Assert.Single(results, r => r!.Applied)!.Transaction;
            Assert.All(results, r => Assert.Equal(winner.Status, r!.Transaction.Status));
            Assert.All(results, r => Assert.Equal(winner.Participants.Select(p => p.Target.Uri), r!.Transaction.Participants.Select(p => p.Target.Uri)));
            var read = await b.GetAsync(tid, Ct);
            Assert.Equal(winner.Status, read!.Status);
            Assert.Equal(winner.Participants.Select(p => p.Target.Uri), read.Participants.Select(p => p.Target.Uri));
        }
    }

    [Fact]
    public async Task Two_coordinators_registering_at_once_number_participants_without_gaps_or_clashes()
    {
        var (a, b) = (await OpenAsync(), await OpenAsync());
        await a.CreateAsync(Active("t1"), Ct);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(
            () => (i % 2 == 0 ? a : b).RegisterAsync("t1", [Link($"http://p/{i}"), Link("http://shared/1")], 64, Ct),
            Ct)));

        var read = await a.GetAsync("t1", Ct);
        Assert.Equal(Enumerable.Range(1, 21), read!.Participants.Select(p => p.Id));
        Assert.Equal(21, read.Participants.Select(p => p.Target.Uri).Distinct().Count());
    }

    [Fact]
    public async Task Four_coordinators_starting_at_once_all_initialize_one_schema()
    {
        var stores = Enumerable.Range(0, 4).Select(_ => NewStore()).ToArray();

        await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(Ct), Ct)));

        await Task.WhenAll(stores.Select((s, i) => s.CreateAsync(Active($"t{i}"), Ct)));
        foreach (var store in stores)
        {
            Assert.Equal(4, (await store.QueryAsync(new TransactionQuery(), Ct)).Items.Count);
        }

        Assert.Equal(PostgreSqlSchema.CurrentVersion, await ScalarAsync<int>($"SELECT version FROM \"{Schema}\".schema_version"));
    }

    [Fact]
    public async Task Two_hundred_concurrent_creates_and_decisions_across_two_coordinators_all_apply()
    {
        var stores = new[] { await OpenAsync(), await OpenAsync() };

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(
            async () =>
            {
                var store = stores[i % 2];
                await store.CreateAsync(Active($"c{i:D3}"), Ct);
                return await store.DecideAsync($"c{i:D3}", [Link($"http://svc/{i}")], 64, Confirm, T0, Ct);
            },
            Ct)));

        Assert.All(results, r => Assert.True(r!.Applied));
        foreach (var store in stores)
        {
            var inFlight = await store.ListInFlightAsync(null, 500, Ct);
            Assert.Equal(200, inFlight.Count);
            Assert.All(inFlight, t => Assert.Single(t.Participants));
        }
    }

    [Fact]
    public async Task Attempts_recorded_by_two_coordinators_at_once_in_opposite_orders_do_not_deadlock()
    {
        var (a, b) = (await OpenAsync(), await OpenAsync());
        await DecidedAsync(a, "t1", links: ["http://a/1", "http://a/2"]);

        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(
            () => i % 2 == 0
                ? RecordAsync(a, "t1", [Attempt("t1", 1, ParticipantStatus.Failed, i, T0), Attempt("t1", 2, ParticipantStatus.Failed, i, T0)], null, T0)
                : RecordAsync(b, "t1", [Attempt("t1", 2, ParticipantStatus.Failed, i, T0), Attempt("t1", 1, ParticipantStatus.Failed, i, T0)], null, T0),
            Ct)));

        Assert.Equal(80, (await a.GetAttemptsAsync("t1", Ct)).Count);
    }

    [Fact]
    public async Task Coordinators_purging_at_once_delete_each_transaction_once()
    {
        var (a, b) = (await OpenAsync(), await OpenAsync());
        for (var i = 0; i < 30; i++)
        {
            await DecidedAsync(a, $"f{i:D2}", links: "http://a/1");
            await RecordAsync(a, $"f{i:D2}", [Attempt($"f{i:D2}", 1, ParticipantStatus.Confirmed, 1, T0)], TransactionStatus.Confirmed, T0);
        }

        var deleted = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => (i % 2 == 0 ? a : b).PurgeFinishedAsync(T0.AddDays(1), 5, Ct)));

        Assert.Equal(30, deleted.Sum());
        Assert.Empty((await a.QueryAsync(new TransactionQuery(), Ct)).Items);
    }

    [Fact]
    public async Task Stores_on_different_schemas_do_not_see_each_other()
    {
        var other = Server.NewSchema();
        try
        {
            var a = await OpenAsync();
            var b = await OpenAsync(other);
            await DecidedAsync(a, "t1", links: "http://a/1");
            await b.CreateAsync(Active("t1"), Ct);

            Assert.Equal(TransactionStatus.Confirming, (await a.GetAsync("t1", Ct))!.Status);
            Assert.Equal(TransactionStatus.Active, (await b.GetAsync("t1", Ct))!.Status);
            Assert.Empty((await b.GetAsync("t1", Ct))!.Participants);
        }
        finally
        {
            await Server.DropSchemaAsync(other);
        }
    }

    [Fact]
    public async Task A_schema_from_a_newer_version_is_refused()
    {
        await OpenAsync();
        await ScalarAsync<int>($"UPDATE \"{Schema}\".schema_version SET version = 99 RETURNING version");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => NewStore().InitializeAsync(Ct));

        Assert.Contains("99", error.Message, StringComparison.Ordinal);
        Assert.Contains(Schema, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ids_sort_byte_by_byte_whatever_the_database_locale()
    {
        var store = await OpenAsync();
        string[] tids = ["B", "a", "_x", "Z9", "z", "ä"];
        foreach (var tid in tids)
        {
            await DecidedAsync(store, tid);
        }

        var listed = await store.ListInFlightAsync(null, 100, Ct);

        Assert.Equal(tids.Order(StringComparer.Ordinal), listed.Select(t => t.Tid));
        Assert.Equal(0L, await ScalarAsync<long>(
            $"SELECT count(*) FROM information_schema.columns WHERE table_schema = '{Schema}' AND column_name IN ('tid', 'id') AND data_type = 'text' AND collation_name IS DISTINCT FROM 'C'"));
    }

    private async Task<PostgreSqlTransactionStore> OpenAsync(string? schema = null)
    {
        var store = NewStore(schema);
        await store.InitializeAsync(Ct);
        return store;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Ct))!;
    }
}
