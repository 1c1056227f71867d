using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Transactions;
using static Twist.Coordinator.Tests.Storage.StoreTestData;

namespace Twist.Coordinator.Tests.Storage;

/// <content>Listing, paging, purging, the audit log and Brobridge v1 tasks.</content>
public abstract partial class TransactionStoreConformanceTests
{
    [Fact]
    public async Task Expired_active_transactions_are_listed_oldest_deadline_first()
    {
        await Store.CreateAsync(Active("late", timeout: TimeSpan.FromSeconds(20)), Ct);
        await Store.CreateAsync(Active("early", timeout: TimeSpan.FromSeconds(10)), Ct);
        await Store.CreateAsync(Active("not-yet", timeout: TimeSpan.FromMinutes(5)), Ct);
        await DecidedAsync("decided");
        var now = T0.AddMinutes(1);

        Assert.Equal(["early", "late"], await Store.ListExpiredActiveAsync(now, 10, Ct));
        Assert.Equal(["early"], await Store.ListExpiredActiveAsync(now, 1, Ct));
        Assert.Empty(await Store.ListExpiredActiveAsync(T0, 10, Ct));
    }

    [Fact]
    public async Task In_flight_transactions_are_paged_by_tid_with_their_participants()
    {
        await DecidedAsync("t5", TransactionStatus.Cancelling, links: ["http://e/1"]);
        await DecidedAsync("t1", links: ["http://a/1", "http://a/2"]);
        await DecidedAsync("t3", links: ["http://c/1"]);
        await DecidedAsync("t2", TransactionStatus.Cancelling);
        await DecidedAsync("t4", links: ["http://d/1"]);
        await StoreTestData.RecordAsync(Store, "t4", [Attempt("t4", 1, ParticipantStatus.Confirmed, 1, T0)], TransactionStatus.Confirmed, T0);
        await Store.CreateAsync(Active("t0"), Ct);

        var first = await Store.ListInFlightAsync(null, 2, Ct);
        var second = await Store.ListInFlightAsync(first[^1].Tid, 2, Ct);
        var third = await Store.ListInFlightAsync(second[^1].Tid, 2, Ct);

        Assert.Equal(["t1", "t2"], first.Select(t => t.Tid));
        Assert.Equal(["t3", "t5"], second.Select(t => t.Tid));
        Assert.Empty(third);
        Assert.Equal(["http://a/1", "http://a/2"], first[0].Participants.Select(p => p.Target.Uri.AbsoluteUri));
        Assert.Empty(first[1].Participants);
        Assert.Equal(["http://c/1"], second[0].Participants.Select(p => p.Target.Uri.AbsoluteUri));
        Assert.Equal(TransactionStatus.Cancelling, second[1].Status);
        Assert.Equal(["http://e/1"], second[1].Participants.Select(p => p.Target.Uri.AbsoluteUri));
    }

    [Fact]
    public async Task Query_filters_and_pages_newest_first()
    {
        for (var i = 0; i < 7; i++)
        {
            await Store.CreateAsync(Active($"a{i}", T0.AddMinutes(i)), Ct);
        }

        // Same creation time: the tid breaks the tie, so no row is skipped or repeated across pages.
        await Store.CreateAsync(Active("tie-b", T0.AddMinutes(3)), Ct);
        await DecidedAsync("c1", TransactionStatus.Cancelling, T0.AddMinutes(10), "http://x/1");
        await StoreTestData.RecordAsync(Store, "c1", [Attempt("c1", 1, ParticipantStatus.Parked, 8, T0)], null, T0);

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await Store.QueryAsync(new TransactionQuery { Limit = 3, ContinuationToken = token }, Ct);
            seen.AddRange(page.Items.Select(t => t.Tid));
            Assert.All(page.Items, t => Assert.Empty(t.Participants));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null);

        Assert.Equal(["c1", "a6", "a5", "a4", "tie-b", "a3", "a2", "a1", "a0"], seen);
        Assert.Equal(3, pages);

        var cancelling = await Store.QueryAsync(new TransactionQuery { Statuses = [TransactionStatus.Cancelling, TransactionStatus.Confirmed] }, Ct);
        Assert.Equal(["c1"], cancelling.Items.Select(t => t.Tid));
        Assert.Null(cancelling.ContinuationToken);

        var parked = await Store.QueryAsync(new TransactionQuery { Attention = TransactionAttention.Parked }, Ct);
        Assert.Equal(["c1"], parked.Items.Select(t => t.Tid));

        var window = await Store.QueryAsync(
            new TransactionQuery { Statuses = [TransactionStatus.Active], CreatedAfter = T0.AddMinutes(1), CreatedBefore = T0.AddMinutes(4) }, Ct);
        Assert.Equal(["tie-b", "a3", "a2"], window.Items.Select(t => t.Tid));

        var clamped = await Store.QueryAsync(new TransactionQuery { Limit = 0 }, Ct);
        Assert.Single(clamped.Items);
        Assert.NotNull(clamped.ContinuationToken);
        Assert.Equal(9, (await Store.QueryAsync(new TransactionQuery { Limit = 100_000 }, Ct)).Items.Count);
    }

    [Theory]
    [InlineData("not base64 !")]
    [InlineData("bm8tc2VwYXJhdG9y")]
    [InlineData("")]
    public async Task Query_rejects_a_forged_continuation_token(string token)
    {
        var error = await Assert.ThrowsAsync<TwistValidationException>(
            () => Store.QueryAsync(new TransactionQuery { ContinuationToken = token }, Ct));
        Assert.Equal(TwistErrorCodes.InvalidRequest, error.Code);
        Assert.True(error.Errors.ContainsKey("continuationToken"));
    }

    [Fact]
    public async Task Purge_deletes_old_finished_transactions_with_their_rows()
    {
        await FinishedAsync("old-1", T0);
        await FinishedAsync("old-2", T0.AddSeconds(1));
        await FinishedAsync("recent", T0.AddDays(2));
        await DecidedAsync("in-flight", links: "http://a/1");
        await Store.CreateTaskAsync(NewTask("task-old", "old-1"), Ct);
        await Store.CreateTaskAsync(NewTask("task-free", null), Ct);
        var cutOff = T0.AddDays(1);

        Assert.Equal(1, await Store.PurgeFinishedAsync(cutOff, 1, Ct));
        Assert.Equal(1, await Store.PurgeFinishedAsync(cutOff, 10, Ct));
        Assert.Equal(0, await Store.PurgeFinishedAsync(cutOff, 10, Ct));

        Assert.Null(await Store.GetAsync("old-1", Ct));
        Assert.Null(await Store.GetAsync("old-2", Ct));
        Assert.Empty(await Store.GetAttemptsAsync("old-1", Ct));
        Assert.Null(await Store.GetTaskAsync("task-old", Ct));
        Assert.NotNull(await Store.GetTaskAsync("task-free", Ct));
        Assert.NotNull(await Store.GetAsync("recent", Ct));
        Assert.Single(await Store.GetAttemptsAsync("recent", Ct));
        Assert.NotNull(await Store.GetAsync("in-flight", Ct));
    }

    [Fact]
    public async Task Purge_audit_deletes_only_entries_recorded_before_the_cut_off_oldest_first()
    {
        await Store.AppendAuditAsync(Audit("t1", "force-cancel", null) with { At = T0 }, Ct);
        await Store.AppendAuditAsync(Audit("t2", "retry-participant", 1) with { At = T0.AddHours(1) }, Ct);
        await Store.AppendAuditAsync(Audit("t3", "retry-participant", 2) with { At = T0.AddDays(3) }, Ct);

        Assert.Equal(1, await Store.PurgeAuditAsync(T0.AddDays(1), 1, Ct));
        Assert.Equal(["t3", "t2"], (await Store.ListAuditAsync(null, 10, Ct)).Select(e => e.Tid));
        Assert.Equal(1, await Store.PurgeAuditAsync(T0.AddDays(1), 10, Ct));
        Assert.Equal(0, await Store.PurgeAuditAsync(T0.AddDays(1), 10, Ct));

        Assert.Equal("t3", Assert.Single(await Store.ListAuditAsync(null, 10, Ct)).Tid);
    }

    [Fact]
    public async Task Purge_unbound_tasks_deletes_expired_tasks_never_bound_to_a_transaction()
    {
        await FinishedAsync("bound-tx", T0.AddDays(5));
        await Store.CreateTaskAsync(NewTask("expired-free-1", null), Ct);
        await Store.CreateTaskAsync(NewTask("expired-free-2", null), Ct);
        await Store.CreateTaskAsync(NewTask("expired-bound", "bound-tx"), Ct);
        await Store.CreateTaskAsync(NewTask("live-free", null) with { ExpiresAt = T0.AddDays(2) }, Ct);

        Assert.Equal(1, await Store.PurgeUnboundTasksAsync(T0.AddDays(1), 1, Ct));
        Assert.Equal(1, await Store.PurgeUnboundTasksAsync(T0.AddDays(1), 10, Ct));
        Assert.Equal(0, await Store.PurgeUnboundTasksAsync(T0.AddDays(1), 10, Ct));

        Assert.Null(await Store.GetTaskAsync("expired-free-1", Ct));
        Assert.Null(await Store.GetTaskAsync("expired-free-2", Ct));
        Assert.NotNull(await Store.GetTaskAsync("expired-bound", Ct));
        Assert.NotNull(await Store.GetTaskAsync("live-free", Ct));
    }

    [Fact]
    public async Task Audit_entries_are_listed_newest_first()
    {
        await Store.AppendAuditAsync(Audit("t1", "force-cancel", null), Ct);
        await Store.AppendAuditAsync(Audit("t2", "retry-participant", 3), Ct);
        await Store.AppendAuditAsync(Audit("t1", "retry-participant", 1), Ct);

        var all = await Store.ListAuditAsync(null, 10, Ct);
        var t1 = await Store.ListAuditAsync("t1", 10, Ct);

        Assert.Equal([3L, 2L, 1L], all.Select(e => e.Id));
        Assert.Equal(Audit("t1", "retry-participant", 1) with { Id = 3 }, all[0]);
        Assert.Equal(["retry-participant", "force-cancel"], t1.Select(e => e.Action));
        Assert.Single(await Store.ListAuditAsync(null, 1, Ct));
    }

    [Fact]
    public async Task Tasks_round_trip_and_update()
    {
        var task = NewTask("task-1", null);
        await Store.CreateTaskAsync(task, Ct);

        var read = await Store.GetTaskAsync("task-1", Ct);
        Assert.NotNull(read);
        Assert.Equal("PENDING", read.Status);
        Assert.Equal(task.Payload, read.Payload);
        Assert.Equal(task.CreatedAt, read.CreatedAt);
        Assert.Equal(task.ExpiresAt, read.ExpiresAt);
        Assert.Equal(task.Confirm.Uri, read.Confirm.Uri);
        Assert.Equal("PUT", read.Confirm.Method);
        Assert.Equal("secret", read.Confirm.Headers["Authorization"]);
        Assert.Equal("DELETE", read.Cancel.Method);
        Assert.Null(read.Tid);

        Assert.True(await Store.UpdateTaskAsync("task-1", "PENDING", "t9", Ct));
        Assert.True(await Store.UpdateTaskAsync("task-1", "CONFIRMED", null, Ct));
        var updated = await Store.GetTaskAsync("task-1", Ct);
        Assert.Equal("CONFIRMED", updated!.Status);
        Assert.Equal("t9", updated.Tid);

        Assert.False(await Store.UpdateTaskAsync("missing", "CONFIRMED", null, Ct));
        Assert.Null(await Store.GetTaskAsync("missing", Ct));
    }

    private async Task FinishedAsync(string tid, DateTimeOffset completedAt)
    {
        await DecidedAsync(tid, links: "http://a/" + tid);
        await StoreTestData.RecordAsync(Store, tid, [Attempt(tid, 1, ParticipantStatus.Confirmed, 1, completedAt)], TransactionStatus.Confirmed, completedAt);
    }

    private static StoredTask NewTask(string id, string? tid) => new()
    {
        Id = id,
        Confirm = new ParticipantAction("PUT", new Uri("http://svc/" + id), new Dictionary<string, string> { ["Authorization"] = "secret" }),
        Cancel = new ParticipantAction("DELETE", new Uri("http://svc/" + id), new Dictionary<string, string>()),
        Payload = "{\"amount\":10}",
        Status = "PENDING",
        Tid = tid,
        CreatedAt = T0,
        ExpiresAt = T0.AddSeconds(30),
    };

    private static AuditEntry Audit(string tid, string action, int? participantId) => new()
    {
        At = T0,
        Actor = "ops@example",
        Action = action,
        Tid = tid,
        ParticipantId = participantId,
        Reason = "ticket 42",
        Outcome = "done",
    };
}
