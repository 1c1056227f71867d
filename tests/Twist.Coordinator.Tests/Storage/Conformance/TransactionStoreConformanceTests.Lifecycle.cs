using System.Data.Common;
using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Transactions;
using static Twist.Coordinator.Tests.Storage.StoreTestData;

namespace Twist.Coordinator.Tests.Storage;

/// <content>Initialization, disposal, write ordering, cancellation and concurrent use.</content>
public abstract partial class TransactionStoreConformanceTests
{
    [Fact]
    public async Task Calls_after_dispose_throw_object_disposed()
    {
        await Store.DisposeAsync();
        await Store.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.CreateAsync(Active("t1"), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.GetAsync("t1", Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Store.InitializeAsync(Ct));
    }

    [Fact]
    public async Task Calls_before_initialize_throw_and_initialize_is_repeatable()
    {
        var store = NewStore();

        await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateAsync(Active("t1"), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.GetAsync("t1", Ct));
        await store.InitializeAsync(Ct);
        await store.InitializeAsync(Ct);
        await store.CreateAsync(Active("t1"), Ct);

        Assert.NotNull(await Store.GetAsync("t1", Ct));
    }

    [Fact]
    public async Task Writes_in_progress_when_the_store_is_disposed_complete_and_another_store_sees_them()
    {
        await DecidedAsync("t1", links: "http://a/1");

        // Not awaited before dispose: disposing must let every started write finish.
        var pending = Enumerable.Range(0, 30).Select(i => Store.CreateAsync(Active($"p{i}"), Ct)).ToArray();
        await Store.DisposeAsync();
        await Task.WhenAll(pending);

        var other = await OpenAsync();
        Assert.Equal(TransactionStatus.Confirming, (await other.GetAsync("t1", Ct))!.Status);
        Assert.Equal(31, (await other.QueryAsync(new TransactionQuery { Limit = 500 }, Ct)).Items.Count);
    }

    [Fact]
    public async Task A_write_issued_right_after_an_unawaited_create_sees_the_transaction()
    {
        // The engine acknowledges a begin before its row is durable and relies on the store applying later writes for
        // the same tid after it.
        var creates = new List<Task>();
        var decisions = new List<Task<DecisionResult?>>();
        for (var i = 0; i < 20; i++)
        {
            creates.Add(Store.CreateAsync(Active($"o{i}"), Ct));
            decisions.Add(Store.DecideAsync($"o{i}", [Link($"http://a/{i}")], 10, Confirm, T0, Ct));
        }

        await Task.WhenAll(creates);
        var results = await Task.WhenAll(decisions);

        Assert.All(results, r => Assert.True(r!.Applied));
        Assert.All(results, r => Assert.Single(r!.Transaction.Participants));
    }

    [Fact]
    public async Task Create_with_an_existing_tid_fails_and_keeps_the_first()
    {
        await DecidedAsync("t1", links: "http://a/1");

        await Assert.ThrowsAnyAsync<DbException>(() => Store.CreateAsync(Active("t1", T0.AddDays(1)), Ct));

        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(TransactionStatus.Confirming, read!.Status);
        Assert.Equal(T0, read.CreatedAt);
        Assert.Single(read.Participants);
    }

    [Fact]
    public async Task Decide_beyond_the_maximum_throws_and_neither_adds_nor_decides()
    {
        await Store.CreateAsync(Active("t1"), Ct);
        await Store.RegisterAsync("t1", [Link("http://a/1")], 2, Ct);

        var error = await Assert.ThrowsAsync<TwistValidationException>(
            () => Store.DecideAsync("t1", [Link("http://a/2"), Link("http://a/3")], 2, Confirm, T0, Ct));

        Assert.Equal(TwistErrorCodes.TooManyParticipants, error.Code);
        Assert.Equal("t1", error.Tid);
        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(TransactionStatus.Active, read!.Status);
        Assert.Single(read.Participants);
    }

    [Fact]
    public async Task A_write_with_a_cancelled_token_is_not_applied()
    {
        await Store.CreateAsync(Active("t1"), Ct);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CreateAsync(Active("cancelled"), cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.DecideAsync("t1", [Link("http://a/1")], 10, Confirm, T0, cancellation.Token));

        Assert.Null(await Store.GetAsync("cancelled", Ct));
        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(TransactionStatus.Active, read!.Status);
        Assert.Empty(read.Participants);
    }

    [Fact]
    public async Task Concurrent_creates_and_decisions_all_apply()
    {
        const int Count = 200;

        var results = await Task.WhenAll(Enumerable.Range(0, Count).Select(i => Task.Run(
            async () =>
            {
                var tid = $"c{i:D3}";
                await Store.CreateAsync(Active(tid), Ct);
                return await Store.DecideAsync(tid, [Link($"http://svc/{i}")], 64, Confirm, T0.AddSeconds(1), Ct);
            },
            Ct)));

        Assert.All(results, r => Assert.True(r!.Applied));
        var inFlight = await Store.ListInFlightAsync(null, 500, Ct);
        Assert.Equal(Count, inFlight.Count);
        Assert.All(inFlight, t => Assert.Single(t.Participants));
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"c{i:D3}"), inFlight.Select(t => t.Tid));
    }

    [Fact]
    public async Task Concurrent_decisions_on_one_transaction_apply_exactly_once()
    {
        await Store.CreateAsync(Active("t1"), Ct);

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(
            () => Store.DecideAsync(
                "t1",
                [Link($"http://a/{i}")],
                64,
                _ => new Decision(i % 2 == 0 ? TransactionStatus.Confirming : TransactionStatus.Cancelling, i % 2 == 0 ? null : "requested"),
                T0,
                Ct),
            Ct)));

        var applied = Assert.Single(results, r => r!.Applied);
        Assert.All(results, r => Assert.Equal(applied!.Transaction.Status, r!.Transaction.Status));
        Assert.All(results, r => Assert.Equal(applied!.Transaction.Participants.Select(p => p.Id), r!.Transaction.Participants.Select(p => p.Id)));
        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(applied!.Transaction.Status, read!.Status);
        Assert.Single(read.Participants);
    }
}
