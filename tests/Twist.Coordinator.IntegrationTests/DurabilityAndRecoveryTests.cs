using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Twist.Coordinator.IntegrationTests.Infrastructure;
using Twist.Transactions;

namespace Twist.Coordinator.IntegrationTests;

public sealed class DurabilityAndRecoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_decision_is_durable_before_the_first_confirm_reaches_a_participant()
    {
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync();
        var statusSeenByParticipant = new List<long>();
        bank.Behave("debit", call =>
        {
            // Read the coordinator's log from outside the coordinator, as a crash-restart would.
            using var connection = new SqliteConnection($"Data Source={harness.DatabasePath};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT status FROM transactions WHERE tid = $tid";
            command.Parameters.AddWithValue("$tid", call.Tid);
            lock (statusSeenByParticipant)
            {
                statusSeenByParticipant.Add((long)command.ExecuteScalar()!);
            }

            return 200;
        });
        var tx = await harness.Coordinator.BeginAsync(null, Ct);

        await harness.Coordinator.ConfirmAsync(tx.Tid, [new ParticipantLink(bank.Link("debit", tx.Tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        Assert.Equal([(long)TransactionStatus.Confirming], statusSeenByParticipant);
    }

    [Fact]
    public async Task A_decided_transaction_whose_participant_was_down_is_finished_after_a_coordinator_restart()
    {
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync(o =>
        {
            o.DecisionWaitTimeout = TimeSpan.FromMilliseconds(100);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
            o.RetryMaxDelay = TimeSpan.FromSeconds(1);
            o.MaxAttemptsPerParticipant = 100;
        });
        var tx = await harness.Coordinator.BeginAsync(null, Ct);
        var link = new ParticipantLink(bank.Link("debit", tx.Tid), DateTimeOffset.UtcNow.AddMinutes(1));
        await harness.Coordinator.RegisterAsync(tx.Tid, [link], Ct);
        await bank.StopAsync();

        var decided = await harness.Coordinator.ConfirmAsync(tx.Tid, null, Ct);
        Assert.Equal(TransactionStatus.Confirming, decided.Status);
        await harness.RestartAsync();
        await bank.RestartAsync();

        var final = await Eventually.GetAsync(() => harness.Coordinator.GetAsync(tx.Tid, Ct), t => t.Status == TransactionStatus.Confirmed);
        Assert.Equal(TransactionStatus.Confirmed, final.Status);
        Assert.Single(bank.CallsFor("debit", tx.Tid), c => c.IsConfirm);
    }

    [Fact]
    public async Task A_drive_resumed_after_a_restart_is_a_span_linked_to_the_trace_the_transaction_was_begun_in()
    {
        using var spans = new SpanRecorder();
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync(o =>
        {
            o.DecisionWaitTimeout = TimeSpan.FromMilliseconds(100);
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(200);
            o.RetryMaxDelay = TimeSpan.FromSeconds(1);
            o.MaxAttemptsPerParticipant = 100;
        });
        string tid;
        ActivityTraceId callerTrace;
        using (var call = SpanRecorder.Caller.StartActivity("checkout")!)
        {
            callerTrace = call.TraceId;
            tid = (await harness.Coordinator.BeginAsync(null, Ct)).Tid;
            await harness.Coordinator.RegisterAsync(tid, [new ParticipantLink(bank.Link("debit", tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
            await bank.StopAsync();
            Assert.Equal(TransactionStatus.Confirming, (await harness.Coordinator.ConfirmAsync(tid, null, Ct)).Status);
        }

        await harness.RestartAsync();
        await bank.RestartAsync();
        await Eventually.GetAsync(() => harness.Coordinator.GetAsync(tid, Ct), t => t.Status == TransactionStatus.Confirmed);

        // Before the restart every span sits in the caller's trace and no drive span is needed.
        var mine = spans.For(tid);
        Assert.DoesNotContain(mine, s => s.OperationName == "twist.drive confirm" && s.TraceId == callerTrace);
        var resumed = Assert.Single(mine, s => s.OperationName == "twist.drive confirm");
        Assert.NotEqual(callerTrace, resumed.TraceId);
        Assert.Equal(default, resumed.ParentSpanId); // recovery runs in no request: a trace of its own...
        Assert.Equal(callerTrace, Assert.Single(resumed.Links).Context.TraceId); // ...that leads back to the begin
        Assert.Equal(true, resumed.GetTagItem("twist.drive.recovered"));
        var delivered = mine.Last(s => s.OperationName == "twist.participant confirm");
        Assert.Equal((resumed.TraceId, resumed.SpanId), (delivered.TraceId, delivered.ParentSpanId));
        Assert.Equal(delivered.Id, bank.CallsFor("debit", tid)[^1].Headers["traceparent"]);
    }

    [Fact]
    public async Task A_timed_out_transactions_cancel_is_a_span_linked_to_the_trace_it_was_begun_in()
    {
        using var spans = new SpanRecorder();
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync();
        string tid;
        ActivityTraceId callerTrace;
        using (var call = SpanRecorder.Caller.StartActivity("checkout")!)
        {
            callerTrace = call.TraceId;
            tid = (await harness.Coordinator.BeginAsync(TimeSpan.FromMilliseconds(300), Ct)).Tid;
            await harness.Coordinator.RegisterAsync(tid, [new ParticipantLink(bank.Link("debit", tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
        }

        await Eventually.GetAsync(() => harness.Coordinator.GetAsync(tid, Ct), t => t.Status == TransactionStatus.Cancelled);

        var cancel = Assert.Single(spans.For(tid), s => s.OperationName == "twist.drive cancel");
        Assert.Equal(callerTrace, Assert.Single(cancel.Links).Context.TraceId);
        Assert.Equal(false, cancel.GetTagItem("twist.drive.recovered"));
        Assert.Contains(spans.For(tid), s => s.OperationName == "twist.participant cancel" && s.ParentSpanId == cancel.SpanId);
    }

    [Fact]
    public async Task An_undecided_transaction_left_by_a_stopped_coordinator_is_cancelled_after_restart()
    {
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync();
        var tx = await harness.Coordinator.BeginAsync(TimeSpan.FromMilliseconds(500), Ct);
        await harness.Coordinator.RegisterAsync(tx.Tid, [new ParticipantLink(bank.Link("debit", tx.Tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);

        await harness.RestartAsync();

        var final = await Eventually.GetAsync(() => harness.Coordinator.GetAsync(tx.Tid, Ct), t => t.Status == TransactionStatus.Cancelled);
        Assert.Equal(TransactionStatus.Cancelled, final.Status);
        Assert.Single(bank.CallsFor("debit", tx.Tid), c => c.IsCancel);
    }

    [Fact]
    public async Task Finished_transactions_are_purged_after_the_retention_period()
    {
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync(o =>
        {
            o.RetainFinishedFor = TimeSpan.FromSeconds(1);
            o.PurgeInterval = TimeSpan.FromMilliseconds(200);
        });
        var done = await harness.Coordinator.BeginAsync(null, Ct);
        await harness.Coordinator.ConfirmAsync(done.Tid, [new ParticipantLink(bank.Link("debit", done.Tid), DateTimeOffset.UtcNow.AddMinutes(1))], Ct);
        var open = await harness.Coordinator.BeginAsync(TimeSpan.FromMinutes(5), Ct);

        var purged = await Eventually.GetAsync(
            async () =>
            {
                try
                {
                    await harness.Coordinator.GetAsync(done.Tid, Ct);
                    return false;
                }
                catch (Twist.Errors.TransactionNotFoundException)
                {
                    return true;
                }
            },
            gone => gone);

        Assert.True(purged);
        Assert.Equal(TransactionStatus.Active, (await harness.Coordinator.GetAsync(open.Tid, Ct)).Status);
    }
}
