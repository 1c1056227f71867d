using Npgsql;
using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Transactions;
using static Twist.Coordinator.Tests.Storage.StoreTestData;

namespace Twist.Coordinator.PostgreSql.Tests;

/// <summary>
/// The leases of a shared store: instance leases judged by the database clock, an owner and an epoch per decided
/// transaction, takeover after a lapse, and writes fenced by the epoch. Each store object plays one coordinator instance.
/// </summary>
public sealed class PostgreSqlLeaseTests(PostgreSqlServer server) : SharedSchemaTests(server)
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task The_deciding_instance_owns_the_decision_under_epoch_one()
    {
        var a = await InstanceAsync(Long);

        var decided = await DecidedAsync(a, "t1", links: "http://p/1");

        Assert.Equal(a.InstanceId, decided.Owner);
        Assert.Equal(1, decided.Epoch);
        var read = await a.GetAsync("t1", Ct);
        Assert.Equal((a.InstanceId, 1L), (read!.Owner, read.Epoch));
        Assert.Equal(["t1"], (await a.ListOwnedInFlightAsync(null, 10, Ct)).Select(t => t.Tid));
    }

    [Fact]
    public async Task Transactions_of_a_live_instance_are_never_claimed()
    {
        var a = await InstanceAsync(Long);
        var b = await InstanceAsync(Long);
        await DecidedAsync(a, "t1", links: "http://p/1");

        Assert.Empty(await b.ClaimOrphanedAsync(100, Ct));
        Assert.Empty(await b.ListOwnedInFlightAsync(null, 10, Ct));
        Assert.Equal(1, (await a.GetAsync("t1", Ct))!.Epoch);
    }

    [Fact]
    public async Task After_an_instance_lease_lapses_another_takes_its_transactions_over_with_a_higher_epoch()
    {
        var a = await InstanceAsync(Short);
        var b = await InstanceAsync(Long);
        await DecidedAsync(a, "t1", links: "http://p/1");
        await DecidedAsync(a, "t2", TransactionStatus.Cancelling, links: "http://p/2");
        await a.RecordAttemptsAsync("t2", 1, [Attempt("t2", 1, ParticipantStatus.Cancelled, 1, T0)], TransactionStatus.Cancelled, T0, Ct);

        await Task.Delay(Short * 2, Ct);
        var claimed = await b.ClaimOrphanedAsync(100, Ct);

        var taken = Assert.Single(claimed); // t2 is finished: nothing to take over
        Assert.Equal(("t1", b.InstanceId, 2L), (taken.Tid, taken.Owner, taken.Epoch));
        Assert.Equal("http://p/1", Assert.Single(taken.Participants).Target.Uri.AbsoluteUri);
        Assert.Empty(await a.ListOwnedInFlightAsync(null, 10, Ct));
        Assert.Equal(["t1"], (await b.ListOwnedInFlightAsync(null, 10, Ct)).Select(t => t.Tid));
    }

    [Fact]
    public async Task A_write_under_an_overtaken_epoch_is_refused_and_changes_nothing()
    {
        var a = await InstanceAsync(Short);
        var b = await InstanceAsync(Long);
        await DecidedAsync(a, "t1", links: "http://p/1");
        await Task.Delay(Short * 2, Ct);
        Assert.Single(await b.ClaimOrphanedAsync(100, Ct));

        var error = await Assert.ThrowsAsync<TransactionLeaseLostException>(() => a.RecordAttemptsAsync(
            "t1", 1, [Attempt("t1", 1, ParticipantStatus.Confirmed, 1, T0)], TransactionStatus.Confirmed, T0, Ct));

        Assert.Equal(("t1", 1L, 2L), (error.Tid, error.Epoch, error.CurrentEpoch));
        var read = await b.GetAsync("t1", Ct);
        Assert.Equal(TransactionStatus.Confirming, read!.Status);
        Assert.Equal(ParticipantStatus.Registered, read.Participants[0].Status);
        Assert.Empty(await b.GetAttemptsAsync("t1", Ct));

        await b.RecordAttemptsAsync("t1", 2, [Attempt("t1", 1, ParticipantStatus.Confirmed, 1, T0)], TransactionStatus.Confirmed, T0, Ct);
        Assert.Equal(TransactionStatus.Confirmed, (await b.GetAsync("t1", Ct))!.Status);
        await Assert.ThrowsAsync<TransactionNotFoundException>(() => b.RecordAttemptsAsync("missing", 1, [], null, T0, Ct));
    }

    [Fact]
    public async Task An_instance_that_renews_a_lapsed_lease_keeps_what_nobody_claimed()
    {
        var a = await InstanceAsync(Short);
        await DecidedAsync(a, "t1", links: "http://p/1");
        await Task.Delay(Short * 2, Ct);

        await a.RenewInstanceLeaseAsync(Long, Ct);
        var b = await InstanceAsync(Long);

        Assert.Empty(await b.ClaimOrphanedAsync(100, Ct));
        Assert.Equal(["t1"], (await a.ListOwnedInFlightAsync(null, 10, Ct)).Select(t => t.Tid));
        await a.RecordAttemptsAsync("t1", 1, [Attempt("t1", 1, ParticipantStatus.Confirmed, 1, T0)], TransactionStatus.Confirmed, T0, Ct);
    }

    [Fact]
    public async Task A_released_lease_lets_others_take_over_at_once()
    {
        var a = await InstanceAsync(Long);
        var b = await InstanceAsync(Long);
        await DecidedAsync(a, "t1", links: "http://p/1");

        await a.ReleaseInstanceLeaseAsync(Ct);

        Assert.Equal(2, Assert.Single(await b.ClaimOrphanedAsync(100, Ct)).Epoch);
    }

    [Fact]
    public async Task Instances_claiming_at_once_share_the_orphans_without_overlap()
    {
        var dead = await InstanceAsync(Short);
        for (var i = 0; i < 120; i++)
        {
            await DecidedAsync(dead, $"o{i:D3}", links: "http://p/1");
        }

        var survivors = new[] { await InstanceAsync(Long), await InstanceAsync(Long), await InstanceAsync(Long) };
        await Task.Delay(Short * 2, Ct);

        // Small batches, many rounds, all three at once: every transaction is claimed by exactly one of them.
        var claims = await Task.WhenAll(survivors.Select(s => Task.Run(
            async () =>
            {
                var mine = new List<StoredTransaction>();
                IReadOnlyList<StoredTransaction> batch;
                do
                {
                    batch = await s.ClaimOrphanedAsync(7, Ct);
                    mine.AddRange(batch);
                }
                while (batch.Count > 0);
                return mine;
            },
            Ct)));

        var all = claims.SelectMany(c => c).ToArray();
        Assert.True(all.Length == 120, string.Join("; ", all.GroupBy(t => t.Tid).Where(g => g.Count() > 1).Select(g => g.Key + ": " + string.Join(",", g.Select(t => t.Owner + "@" + t.Epoch)))));
        Assert.Equal(120, all.Select(t => t.Tid).Distinct().Count());
        Assert.All(all, t => Assert.Equal(2, t.Epoch));
        for (var i = 0; i < survivors.Length; i++)
        {
            Assert.All(claims[i], t => Assert.Equal(survivors[i].InstanceId, t.Owner));
        }
    }

    [Fact]
    public async Task An_operator_takeover_fences_the_live_owner()
    {
        var a = await InstanceAsync(Long);
        var b = await InstanceAsync(Long);
        await DecidedAsync(a, "t1", links: "http://p/1");

        var taken = await b.TakeOverAsync("t1", Ct);

        Assert.Equal((b.InstanceId, 2L), (taken!.Owner, taken.Epoch));
        await Assert.ThrowsAsync<TransactionLeaseLostException>(() => a.RecordAttemptsAsync("t1", 1, [], null, T0, Ct));
        Assert.Null(await b.TakeOverAsync("missing", Ct));
        await b.CreateAsync(Active("active"), Ct);
        Assert.Null(await b.TakeOverAsync("active", Ct)); // undecided: nothing to drive yet
    }

    [Fact]
    public async Task Instances_sweeping_timeouts_at_once_decide_each_expired_transaction_once()
    {
        var stores = new[] { await InstanceAsync(Long), await InstanceAsync(Long) };
        for (var i = 0; i < 60; i++)
        {
            await stores[0].CreateAsync(Active($"x{i:D2}", T0, TimeSpan.FromSeconds(i < 50 ? 1 : 3600)), Ct);
        }

        await stores[0].RegisterAsync("x00", [Link("http://p/1")], 10, Ct);
        var now = T0.AddMinutes(1);
        var decided = await Task.WhenAll(stores.Select(s => Task.Run(
            async () =>
            {
                var mine = new List<StoredTransaction>();
                IReadOnlyList<StoredTransaction> batch;
                do
                {
                    batch = await s.DecideExpiredAsync(now, 4, new Decision(TransactionStatus.Cancelling, "timeout"), Ct);
                    mine.AddRange(batch);
                }
                while (batch.Count > 0);
                return mine;
            },
            Ct)));

        var all = decided.SelectMany(d => d).ToArray();
        Assert.Equal(50, all.Length);
        Assert.Equal(50, all.Select(t => t.Tid).Distinct().Count());
        Assert.All(all, t => Assert.Equal((TransactionStatus.Cancelling, "timeout", 1L, now), (t.Status, t.Reason, t.Epoch, t.DecidedAt!.Value)));
        Assert.Equal("http://p/1", Assert.Single(all.Single(t => t.Tid == "x00").Participants).Target.Uri.AbsoluteUri);
        Assert.Empty(await stores[0].ListExpiredActiveAsync(now, 100, Ct));
        Assert.Equal(TransactionStatus.Active, (await stores[1].GetAsync("x55", Ct))!.Status);
    }

    [Fact]
    public async Task Lease_expiry_is_judged_by_the_database_clock()
    {
        var a = await InstanceAsync(Long);

        var expiresIn = await ScalarAsync<double>(
            $"SELECT extract(epoch FROM expires_at - now()) FROM \"{Schema}\".instances WHERE id = '{a.InstanceId}'");

        Assert.InRange(expiresIn, Long.TotalSeconds - 60, Long.TotalSeconds);
        Assert.Contains(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), a.InstanceId, StringComparison.Ordinal);
    }

    private async Task<PostgreSqlTransactionStore> InstanceAsync(TimeSpan lease)
    {
        var store = NewStore();
        await store.InitializeAsync(Ct);
        await store.RenewInstanceLeaseAsync(lease, Ct);
        return store;
    }

    private async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(Server.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(Ct))!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }
}
