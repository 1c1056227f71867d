using Twist.Coordinator.Compat;
using Twist.Coordinator.IntegrationTests.Infrastructure;
using Twist.Coordinator.Storage;
using Twist.Transactions;

namespace Twist.Coordinator.IntegrationTests;

public sealed class CompatTaskTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_v1_task_is_driven_with_its_own_actions_and_its_status_becomes_CONFIRMED()
    {
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync();
        var tx = await harness.Coordinator.BeginAsync(null, Ct);
        var endpoint = bank.Link("deposit", tx.Tid);
        var headers = new Dictionary<string, string> { ["X-Shard"] = "7" };
        var task = await harness.Tasks.CreateTaskAsync(
            new TaskDefinition(new ParticipantAction("POST", endpoint, headers), new ParticipantAction("POST", endpoint, headers), "{\"amount\":100}", TimeSpan.FromMinutes(1)),
            Ct);
        var second = await harness.Tasks.CreateTaskAsync(
            new TaskDefinition(new ParticipantAction("POST", endpoint, headers), new ParticipantAction("POST", endpoint, headers), "{\"amount\":5}", null),
            Ct);

        var registered = await harness.Tasks.RegisterTasksAsync(tx.Tid, [new TaskRegistration(task.Id, null), new TaskRegistration(second.Id, null)], Ct);
        var confirmed = await harness.Coordinator.ConfirmAsync(tx.Tid, null, Ct);

        Assert.Equal(2, registered.Participants.Count); // two tasks on one endpoint stay two participants
        Assert.Equal(TransactionStatus.Confirmed, confirmed.Status);
        var calls = bank.CallsFor("deposit", tx.Tid);
        Assert.Equal(2, calls.Count);
        Assert.All(calls, c => Assert.Equal("POST", c.Method));
        Assert.All(calls, c => Assert.Equal("7", c.Headers["X-Shard"]));
        Assert.Equal([task.Id, second.Id], calls.Select(c => c.Headers["Twist-Task-ID"]).Order());
        var stored = await harness.Tasks.GetTaskAsync(task.Id, Ct);
        Assert.Equal("CONFIRMED", stored.Status);
        Assert.Equal("{\"amount\":100}", stored.Payload);
    }

    [Fact]
    public async Task Deleting_a_task_cancels_its_active_transaction_once()
    {
        await using var bank = await ParticipantServer.StartAsync();
        await using var harness = await CoordinatorHarness.StartAsync();
        var tx = await harness.Coordinator.BeginAsync(null, Ct);
        var endpoint = bank.Link("deduct", tx.Tid);
        var task = await harness.Tasks.CreateTaskAsync(
            new TaskDefinition(new ParticipantAction("PUT", endpoint, new Dictionary<string, string>()), new ParticipantAction("DELETE", endpoint, new Dictionary<string, string>()), null, null),
            Ct);
        await harness.Tasks.RegisterTasksAsync(tx.Tid, [new TaskRegistration(task.Id, null)], Ct);

        await harness.Tasks.CancelTaskAsync(task.Id, Ct);
        await harness.Tasks.CancelTaskAsync(task.Id, Ct);

        var final = await Eventually.GetAsync(() => harness.Coordinator.GetAsync(tx.Tid, Ct), t => t.Status == TransactionStatus.Cancelled);
        Assert.Equal(TransactionStatus.Cancelled, final.Status);
        Assert.Single(bank.CallsFor("deduct", tx.Tid), c => c.IsCancel);
        Assert.Equal("CANCELED", (await harness.Tasks.GetTaskAsync(task.Id, Ct)).Status);
    }
}
