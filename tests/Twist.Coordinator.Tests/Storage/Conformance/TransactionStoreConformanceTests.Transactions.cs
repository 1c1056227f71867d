using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Transactions;
using static Twist.Coordinator.Tests.Storage.StoreTestData;

namespace Twist.Coordinator.Tests.Storage;

/// <content>Creating, registering, deciding and recording attempts.</content>
public abstract partial class TransactionStoreConformanceTests
{
    [Fact]
    public async Task Create_then_get_round_trips_in_utc()
    {
        var created = new DateTimeOffset(2025, 3, 11, 8, 15, 0, 123, TimeSpan.FromHours(8));
        var transaction = Active("t1", created) with { Attention = TransactionAttention.None };

        await Store.CreateAsync(transaction, Ct);
        var read = await Store.GetAsync("t1", Ct);

        Assert.NotNull(read);
        Assert.Equal(transaction with { Participants = read.Participants }, read);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal(created, read.CreatedAt);
        Assert.Empty(read.Participants);
        Assert.Null(await Store.GetAsync("missing", Ct));
    }

    [Fact]
    public async Task The_begins_trace_context_is_kept_and_comes_back_with_recovery_pages()
    {
        const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        await Store.CreateAsync(Active("traced") with { TraceParent = TraceParent }, Ct);
        await Store.CreateAsync(Active("untraced"), Ct);
        await Store.DecideAsync("traced", [Link("http://a/1")], 10, Confirm, T0, Ct);

        Assert.Equal(TraceParent, (await Store.GetAsync("traced", Ct))!.TraceParent);
        Assert.Null((await Store.GetAsync("untraced", Ct))!.TraceParent);
        Assert.Equal(TraceParent, Assert.Single(await Store.ListInFlightAsync(null, 10, Ct)).TraceParent); // what recovery drives from
    }

    [Fact]
    public async Task Register_numbers_participants_and_dedupes_by_uri()
    {
        await Store.CreateAsync(Active("t1"), Ct);
        var task = new ParticipantTarget
        {
            Uri = new Uri("http://svc-c/confirm/1"),
            TaskId = "task-1",
            ConfirmAction = new ParticipantAction("POST", new Uri("http://svc-c/confirm/1"), new Dictionary<string, string> { ["X-Key"] = "v" }),
            CancelAction = new ParticipantAction("DELETE", new Uri("http://svc-c/cancel/1"), new Dictionary<string, string>()),
        };

        await Store.RegisterAsync("t1", [Link("http://svc-a/t/1"), Link("http://svc-b/t/1")], 10, Ct);
        var after = await Store.RegisterAsync(
            "t1", [Link("http://SVC-B/t/1"), new NewParticipant(task, T0.AddMinutes(2)), new NewParticipant(task, T0.AddMinutes(3))], 10, Ct);

        Assert.NotNull(after);
        Assert.Equal([1, 2, 3], after.Participants.Select(p => p.Id));
        Assert.All(after.Participants, p => Assert.Equal(ParticipantStatus.Registered, p.Status));
        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(
            ["http://svc-a/t/1", "http://svc-b/t/1", "http://svc-c/confirm/1"],
            read!.Participants.Select(p => p.Target.Uri.AbsoluteUri));
        var third = read.Participants[2];
        Assert.Equal("task-1", third.Target.TaskId);
        Assert.Equal("POST", third.Target.ConfirmAction!.Method);
        Assert.Equal("v", third.Target.ConfirmAction.Headers["X-Key"]);
        Assert.Equal(new Uri("http://svc-c/cancel/1"), third.Target.CancelAction!.Uri);
        Assert.Equal(T0.AddMinutes(2), third.Expires);
        Assert.Equal(after.Participants.Select(p => p.Expires), read.Participants.Select(p => p.Expires));
    }

    [Fact]
    public async Task Register_beyond_the_maximum_throws_and_adds_nothing()
    {
        await Store.CreateAsync(Active("t1"), Ct);
        await Store.RegisterAsync("t1", [Link("http://a/1"), Link("http://a/2")], 3, Ct);

        var error = await Assert.ThrowsAsync<TwistValidationException>(
            () => Store.RegisterAsync("t1", [Link("http://a/2"), Link("http://a/3"), Link("http://a/4")], 3, Ct));

        Assert.Equal(TwistErrorCodes.TooManyParticipants, error.Code);
        Assert.Equal("t1", error.Tid);
        var message = Assert.Single(error.Errors["participantLinks"]);
        Assert.Contains("4 participants", message, StringComparison.Ordinal);
        Assert.Contains("the 3 allowed", message, StringComparison.Ordinal);
        Assert.Contains("Twist:Coordinator:MaxParticipantsPerTransaction", message, StringComparison.Ordinal);
        Assert.Equal(2, (await Store.GetAsync("t1", Ct))!.Participants.Count);
    }

    [Fact]
    public async Task Register_on_a_missing_transaction_returns_null()
    {
        Assert.Null(await Store.RegisterAsync("missing", [Link("http://a/1")], 3, Ct));
    }

    [Fact]
    public async Task Decide_applies_once_and_later_decisions_see_the_first()
    {
        await Store.CreateAsync(Active("t1"), Ct);
        await Store.RegisterAsync("t1", [Link("http://a/1")], 10, Ct);
        StoredTransaction? seen = null;

        var first = await Store.DecideAsync(
            "t1", [Link("http://a/2"), Link("http://a/1")], 10, t => { seen = t; return Confirm(t); }, T0.AddSeconds(5), Ct);
        var calledAgain = false;
        var second = await Store.DecideAsync(
            "t1", [Link("http://a/3")], 10, _ => { calledAgain = true; return new Decision(TransactionStatus.Cancelling, "requested"); }, T0.AddSeconds(6), Ct);

        Assert.NotNull(first);
        Assert.True(first.Applied);
        Assert.Equal(2, seen!.Participants.Count);
        Assert.Equal(TransactionStatus.Confirming, first.Transaction.Status);
        Assert.Equal(T0.AddSeconds(5), first.Transaction.DecidedAt);
        Assert.Equal(2, first.Transaction.Participants.Count);

        Assert.NotNull(second);
        Assert.False(second.Applied);
        Assert.False(calledAgain);
        Assert.Equal(TransactionStatus.Confirming, second.Transaction.Status);
        Assert.Equal(T0.AddSeconds(5), second.Transaction.DecidedAt);
        Assert.Equal(2, second.Transaction.Participants.Count);

        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(first.Transaction with { Participants = read!.Participants }, read);
    }

    [Fact]
    public async Task Decide_stores_the_cancel_reason()
    {
        await Store.CreateAsync(Active("t1"), Ct);

        var result = await Store.DecideAsync("t1", [], 10, _ => new Decision(TransactionStatus.Cancelling, "timeout"), T0, Ct);

        Assert.Equal("timeout", result!.Transaction.Reason);
        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(TransactionStatus.Cancelling, read!.Status);
        Assert.Equal("timeout", read.Reason);
    }

    [Fact]
    public async Task Decide_on_a_missing_transaction_returns_null()
    {
        Assert.Null(await Store.DecideAsync("missing", [], 10, Confirm, T0, Ct));
    }

    [Fact]
    public async Task Decide_that_throws_rolls_back_the_participants_it_added()
    {
        await Store.CreateAsync(Active("t1"), Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Store.DecideAsync("t1", [Link("http://a/1")], 10, _ => throw new InvalidOperationException("boom"), T0, Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Store.DecideAsync("t1", [], 10, _ => new Decision(TransactionStatus.Confirmed, null), T0, Ct));

        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(TransactionStatus.Active, read!.Status);
        Assert.Empty(read.Participants);
    }

    [Fact]
    public async Task Participants_registered_after_the_decision_are_refused()
    {
        var decided = await DecidedAsync("t1", links: "http://a/1");

        var after = await Store.RegisterAsync("t1", [Link("http://a/2")], 10, Ct);

        Assert.NotNull(after);
        Assert.Equal(TransactionStatus.Confirming, after.Status);
        Assert.Equal([decided.Participants[0].Target.Uri], after.Participants.Select(p => p.Target.Uri));
        Assert.Single((await Store.GetAsync("t1", Ct))!.Participants);
    }

    [Fact]
    public async Task Record_attempts_updates_participants_attention_and_history()
    {
        await DecidedAsync("t1", links: ["http://a/1", "http://a/2"]);

        await StoreTestData.RecordAsync(Store, "t1",
            [
                Attempt("t1", 1, ParticipantStatus.Failed, 1, T0.AddSeconds(1), "503 Service Unavailable", T0.AddSeconds(3)),
                Attempt("t1", 2, ParticipantStatus.Parked, 8, T0.AddSeconds(1), "refused"),
            ],
            null,
            T0.AddSeconds(1));
        var parked = await Store.GetAsync("t1", Ct);

        Assert.Equal(TransactionAttention.Parked, parked!.Attention);
        var first = parked.Participants[0];
        Assert.Equal(ParticipantStatus.Failed, first.Status);
        Assert.Equal(1, first.Attempts);
        Assert.Equal("503 Service Unavailable", first.LastError);
        Assert.Equal(T0.AddSeconds(1), first.LastAttemptAt);
        Assert.Equal(T0.AddSeconds(3), first.NextAttemptAt);

        await StoreTestData.RecordAsync(Store, "t1", [Attempt("t1", 1, ParticipantStatus.Heuristic, 2, T0.AddSeconds(3), "409 Conflict")], null, T0.AddSeconds(3));
        Assert.Equal(TransactionAttention.Heuristic, (await Store.GetAsync("t1", Ct))!.Attention);

        var history = await Store.GetAttemptsAsync("t1", Ct);
        Assert.Equal([1, 2, 1], history.Select(a => a.ParticipantId));
        Assert.Equal(Attempt("t1", 1, ParticipantStatus.Failed, 1, T0.AddSeconds(1), "503 Service Unavailable", T0.AddSeconds(3)), history[0]);
        Assert.Equal(ParticipantStatus.Heuristic, history[2].ResultStatus);
    }

    [Fact]
    public async Task Record_attempts_with_completion_finishes_the_transaction()
    {
        await DecidedAsync("t1", links: "http://a/1");
        await StoreTestData.RecordAsync(Store, "t1", [Attempt("t1", 1, ParticipantStatus.Parked, 8, T0)], null, T0);

        await StoreTestData.RecordAsync(Store, "t1", [Attempt("t1", 1, ParticipantStatus.Confirmed, 1, T0.AddSeconds(9))], TransactionStatus.Confirmed, T0.AddSeconds(10));

        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(TransactionStatus.Confirmed, read!.Status);
        Assert.Equal(T0.AddSeconds(10), read.CompletedAt);
        Assert.Equal(TransactionAttention.None, read.Attention);
        Assert.Equal(ParticipantStatus.Confirmed, read.Participants[0].Status);
        Assert.Null(read.Participants[0].LastError);
    }

    [Fact]
    public async Task Record_attempts_for_an_unknown_participant_fails_and_changes_nothing()
    {
        await DecidedAsync("t1", links: "http://a/1");

        await Assert.ThrowsAsync<InvalidOperationException>(() => StoreTestData.RecordAsync(Store, "t1",
            [Attempt("t1", 1, ParticipantStatus.Confirmed, 1, T0), Attempt("t1", 7, ParticipantStatus.Confirmed, 1, T0)],
            TransactionStatus.Confirmed,
            T0));
        await Assert.ThrowsAsync<TransactionNotFoundException>(() => StoreTestData.RecordAsync(Store, "missing", [], TransactionStatus.Confirmed, T0));

        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(TransactionStatus.Confirming, read!.Status);
        Assert.Equal(ParticipantStatus.Registered, read.Participants[0].Status);
        Assert.Empty(await Store.GetAttemptsAsync("t1", Ct));
    }

    [Fact]
    public async Task Reset_participant_gives_a_fresh_budget_and_returns_the_old_row()
    {
        await DecidedAsync("t1", links: ["http://a/1", "http://a/2"]);
        await StoreTestData.RecordAsync(Store, "t1",
            [Attempt("t1", 1, ParticipantStatus.Parked, 8, T0, "refused"), Attempt("t1", 2, ParticipantStatus.Confirmed, 1, T0)],
            null,
            T0);

        var before = await Store.ResetParticipantAsync("t1", 1, T0.AddMinutes(5), Ct);
        var confirmed = await Store.ResetParticipantAsync("t1", 2, T0.AddMinutes(5), Ct);

        Assert.Equal(ParticipantStatus.Parked, before!.Status);
        Assert.Equal(8, before.Attempts);
        Assert.Equal(ParticipantStatus.Confirmed, confirmed!.Status);
        var read = await Store.GetAsync("t1", Ct);
        Assert.Equal(TransactionAttention.None, read!.Attention);
        var reset = read.Participants[0];
        Assert.Equal(ParticipantStatus.Failed, reset.Status);
        Assert.Equal(0, reset.Attempts);
        Assert.Equal(T0.AddMinutes(5), reset.NextAttemptAt);
        Assert.Equal(confirmed, read.Participants[1]);
        Assert.Null(await Store.ResetParticipantAsync("t1", 9, T0, Ct));
        Assert.Null(await Store.ResetParticipantAsync("missing", 1, T0, Ct));
    }
}
