using System.Net;
using System.Text.Json;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Participants;

namespace Twist.Client.Tests.Participants;

/// <summary>
/// The guard's guarantees (specs/twist-protocol.md, "Participant guard"), through the real endpoints on Kestrel, against
/// SQLite and PostgreSQL: duplicates are no-ops, null compensation, hanging, cancel after a failed Try, conflicts.
/// </summary>
public sealed class ParticipantGuardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task Try_then_Confirm_calls_each_handler_once_and_commits_business_and_guard_rows_together(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();

        using var tried = await host.TryAsync(tid, new DebitRequest(100));
        Assert.Equal(HttpStatusCode.OK, tried.StatusCode);
        Assert.Equal(TccGuardState.Tried, await db.GuardStateAsync(WalletParticipant.Name, tid));
        Assert.Equal("held", await db.HoldStateAsync(tid));

        using var confirmed = await host.ConfirmAsync(tid);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        using var body = JsonDocument.Parse(await confirmed.Content.ReadAsStringAsync(Ct));
        Assert.Equal("applied", body.RootElement.GetProperty("outcome").GetString());

        Assert.Equal(1, host.Probe.Calls(tid, "try"));
        Assert.Equal(1, host.Probe.Calls(tid, "confirm"));
        Assert.Equal(0, host.Probe.Calls(tid, "cancel"));
        Assert.Equal(TccGuardState.Confirmed, await db.GuardStateAsync(WalletParticipant.Name, tid));
        Assert.Equal("confirmed", await db.HoldStateAsync(tid));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task A_Confirm_handler_that_fails_rolls_back_with_the_guard_row_and_the_retry_applies_it(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(5))).Dispose();

        host.Probe.FailNextConfirm = true;
        using var failed = await host.ConfirmAsync(tid);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.Equal(TccGuardState.Tried, await db.GuardStateAsync(WalletParticipant.Name, tid));
        Assert.Equal("held", await db.HoldStateAsync(tid));

        using var retried = await host.ConfirmAsync(tid);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.Equal("confirmed", await db.HoldStateAsync(tid));
        Assert.Equal(2, host.Probe.Calls(tid, "confirm"));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task Duplicate_Confirm_is_a_no_op(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(100))).Dispose();

        using var first = await host.ConfirmAsync(tid);
        using var second = await host.ConfirmAsync(tid);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("duplicate", await OutcomeAsync(second));
        Assert.Equal(1, host.Probe.Calls(tid, "confirm"));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task Duplicate_Cancel_is_a_no_op(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(100))).Dispose();

        using var first = await host.CancelAsync(tid);
        using var second = await host.CancelAsync(tid);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("applied", await OutcomeAsync(first));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("duplicate", await OutcomeAsync(second));
        Assert.Equal(1, host.Probe.Calls(tid, "cancel"));
        Assert.Null(await db.HoldStateAsync(tid));
        Assert.Equal(TccGuardState.Cancelled, await db.GuardStateAsync(WalletParticipant.Name, tid));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task Cancel_before_Try_is_a_null_compensation_and_the_late_Try_is_refused_as_hanging(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();

        using var cancelled = await host.CancelAsync(tid);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("null_compensation", await OutcomeAsync(cancelled));
        Assert.Equal(0, host.Probe.Calls(tid, "cancel"));

        using var late = await host.TryAsync(tid, new DebitRequest(100));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Equal(TccProblemCodes.Hanging, await ProblemCodeAsync(late));
        Assert.Equal(0, host.Probe.Calls(tid, "try"));
        Assert.Null(await db.HoldStateAsync(tid));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task A_Try_that_failed_halfway_still_gets_its_Cancel_handler_called(string kind)
    {
        // The case Seata's fence gets wrong: its 'tried' row rolls back with the failed Try, so Cancel looks empty.
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();

        using var failed = await host.TryAsync(tid, new DebitRequest(100, Mode: "fail-after-write"));
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        Assert.DoesNotContain("hunter2", await failed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(await db.HoldStateAsync(tid));
        Assert.Equal(TccGuardState.Trying, await db.GuardStateAsync(WalletParticipant.Name, tid));
        Assert.Contains(tid, host.Probe.ExternalEffects);

        using var retry = await host.TryAsync(tid, new DebitRequest(100));
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal(TccProblemCodes.TryIncomplete, await ProblemCodeAsync(retry));

        using var cancelled = await host.CancelAsync(tid);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("applied", await OutcomeAsync(cancelled));
        Assert.Equal(1, host.Probe.Calls(tid, "cancel"));
        Assert.Equal(1, host.Probe.Calls(tid, "try"));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task Cancel_after_Confirm_is_refused_with_409(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(100))).Dispose();
        (await host.ConfirmAsync(tid)).Dispose();

        using var cancel = await host.CancelAsync(tid);

        Assert.Equal(HttpStatusCode.Conflict, cancel.StatusCode);
        Assert.Equal(TccProblemCodes.PhaseConflict, await ProblemCodeAsync(cancel));
        Assert.Equal(0, host.Probe.Calls(tid, "cancel"));
        Assert.Equal("confirmed", await db.HoldStateAsync(tid));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task Confirm_after_Cancel_is_refused_with_409(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(100))).Dispose();
        (await host.CancelAsync(tid)).Dispose();

        using var confirm = await host.ConfirmAsync(tid);

        Assert.Equal(HttpStatusCode.Conflict, confirm.StatusCode);
        Assert.Equal(TccProblemCodes.PhaseConflict, await ProblemCodeAsync(confirm));
        Assert.Equal(0, host.Probe.Calls(tid, "confirm"));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task Confirm_without_a_Try_is_404_and_writes_nothing(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();

        using var confirm = await host.ConfirmAsync(tid);

        Assert.Equal(HttpStatusCode.NotFound, confirm.StatusCode);
        Assert.Equal(TccProblemCodes.NotTried, await ProblemCodeAsync(confirm));
        Assert.Equal(0, host.Probe.Calls(tid, "confirm"));
        Assert.Null(await db.GuardStateAsync(WalletParticipant.Name, tid));
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task Twenty_concurrent_duplicate_Confirms_call_the_handler_exactly_once(string kind)
    {
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();
        (await host.TryAsync(tid, new DebitRequest(100))).Dispose();
        // A slow Confirm handler holds the row lock long enough for the other 19 calls to arrive and queue on it.
        host.Probe.ConfirmDelay = TimeSpan.FromMilliseconds(250);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => host.ConfirmAsync(tid)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var outcomes = await Task.WhenAll(answers.Select(OutcomeAsync));
        Assert.Single(outcomes, o => o == "applied");
        Assert.Equal(19, outcomes.Count(o => o == "duplicate"));
        Assert.Equal(1, host.Probe.Calls(tid, "confirm"));
        foreach (var answer in answers)
        {
            answer.Dispose();
        }
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task Concurrent_Cancels_racing_a_Try_leave_exactly_one_outcome(string kind)
    {
        // Whoever wins, the end state is consistent: either the Try was refused (hanging) without running, or the Try
        // committed and exactly one Cancel handler released it.
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db);
        var tid = ParticipantHost.NewTid();

        var tryTask = host.TryAsync(tid, new DebitRequest(100));
        var cancels = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => host.CancelAsync(tid)));
        using var tried = await tryTask;

        Assert.All(cancels, c => Assert.Equal(HttpStatusCode.OK, c.StatusCode));
        Assert.Equal(TccGuardState.Cancelled, await db.GuardStateAsync(WalletParticipant.Name, tid));
        Assert.Null(await db.HoldStateAsync(tid));
        if (tried.StatusCode == HttpStatusCode.OK)
        {
            Assert.Equal(1, host.Probe.Calls(tid, "cancel"));
        }
        else
        {
            // Refused before its handler ran; a Cancel that got between the Try's two steps still ran the Cancel handler once.
            Assert.Equal(HttpStatusCode.Conflict, tried.StatusCode);
            Assert.Equal(0, host.Probe.Calls(tid, "try"));
            Assert.InRange(host.Probe.Calls(tid, "cancel"), 0, 1);
        }

        foreach (var cancel in cancels)
        {
            cancel.Dispose();
        }
    }

    internal static async Task<string?> OutcomeAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return body.RootElement.GetProperty("outcome").GetString();
    }

    internal static async Task<string?> ProblemCodeAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return body.RootElement.GetProperty("code").GetString();
    }
}
