using System.Net;
using Microsoft.Extensions.Time.Testing;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Participants;

namespace Twist.Client.Tests.Participants;

/// <summary>Reservations expire on their own (the sweeper cancels them), and finished guard rows are deleted after retention.</summary>
public sealed class ParticipantSweeperTests
{
    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task The_sweeper_cancels_a_reservation_that_expired_without_Confirm_or_Cancel(string kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db, time: time);
        var expiring = ParticipantHost.NewTid();
        var failedHalfway = ParticipantHost.NewTid();
        (await host.TryAsync(expiring, new DebitRequest(100))).Dispose();
        (await host.TryAsync(failedHalfway, new DebitRequest(100, Mode: "fail-after-write"))).Dispose();

        Assert.Equal(0, await host.SweepAsync());
        time.Advance(TimeSpan.FromSeconds(30));
        var fresh = ParticipantHost.NewTid();
        (await host.TryAsync(fresh, new DebitRequest(100))).Dispose();
        time.Advance(TimeSpan.FromSeconds(31));

        Assert.Equal(2, await host.SweepAsync());

        Assert.Equal(1, host.Probe.Calls(expiring, "cancel"));
        Assert.Equal(1, host.Probe.Calls(failedHalfway, "cancel"));
        Assert.Equal(TccGuardState.Cancelled, await db.GuardStateAsync(WalletParticipant.Name, expiring));
        Assert.Null(await db.HoldStateAsync(expiring));
        Assert.Equal(TccGuardState.Tried, await db.GuardStateAsync(WalletParticipant.Name, fresh));
        Assert.Equal(0, host.Probe.Calls(fresh, "cancel"));

        // The coordinator's late Confirm now finds the reservation gone; its late Cancel is a no-op.
        using var lateConfirm = await host.ConfirmAsync(expiring);
        Assert.Equal(HttpStatusCode.Conflict, lateConfirm.StatusCode);
        using var lateCancel = await host.CancelAsync(expiring);
        Assert.Equal(HttpStatusCode.OK, lateCancel.StatusCode);
        Assert.Equal(1, host.Probe.Calls(expiring, "cancel"));
        Assert.Equal(0, await host.SweepAsync());
    }

    [Theory]
    [InlineData(GuardDatabase.Sqlite)]
    [InlineData(GuardDatabase.Postgres)]
    public async Task The_retention_pass_deletes_finished_rows_older_than_the_retention_in_batches(string kind)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var db = await GuardDatabase.CreateAsync(kind);
        await using var host = await ParticipantHost.StartAsync(db, o => o.SweepBatchSize = 2, time);
        var old = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var tid = ParticipantHost.NewTid();
            old.Add(tid);
            (await host.TryAsync(tid, new DebitRequest(1))).Dispose();
            (await (i % 2 == 0 ? host.ConfirmAsync(tid) : host.CancelAsync(tid))).Dispose();
        }

        var tombstone = ParticipantHost.NewTid();
        (await host.CancelAsync(tombstone)).Dispose();
        time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var recent = ParticipantHost.NewTid();
        (await host.TryAsync(recent, new DebitRequest(1))).Dispose();
        (await host.ConfirmAsync(recent)).Dispose();

        await host.SweepAsync();

        Assert.Equal(1, await db.CountGuardRowsAsync());
        Assert.Equal(TccGuardState.Confirmed, await db.GuardStateAsync(WalletParticipant.Name, recent));
        Assert.Null(await db.GuardStateAsync(WalletParticipant.Name, tombstone));
    }
}
