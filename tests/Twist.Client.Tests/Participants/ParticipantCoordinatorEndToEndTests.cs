using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Participants;
using Twist.Transactions;

namespace Twist.Client.Tests.Participants;

/// <summary>
/// The participant runtime with the real embedded coordinator: the caller's HttpClient sends the Try (its answer
/// registers the link), the coordinator confirms with bearer token and HMAC, the guard lets the Confirm handler run once.
/// </summary>
public sealed class ParticipantCoordinatorEndToEndTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_coordinators_Confirm_or_Cancel_reaches_the_participant_handler_exactly_once(bool confirm)
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var participant = await ParticipantHost.StartAsync(db);
        await using var caller = await EmbeddedCoordinatorCaller.StartAsync(participant.Address);
        await using var tx = await caller.Twist.BeginAsync(TimeSpan.FromSeconds(30), Ct);

        using var tried = await caller.Wallet.PostAsJsonAsync(ParticipantHost.WalletRoute, new DebitRequest(100), Ct);
        Assert.Equal(HttpStatusCode.OK, tried.StatusCode);
        var link = Assert.Single(tx.Participants);
        Assert.Equal(new Uri(participant.Address, ParticipantHost.WalletRoute + "/" + tx.Tid), link.Uri);

        var info = confirm ? await tx.ConfirmAsync(Ct) : await tx.CancelAsync(Ct);

        var phase = confirm ? "confirm" : "cancel";
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (participant.Probe.Calls(tx.Tid, phase) == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        Assert.Equal(1, participant.Probe.Calls(tx.Tid, phase));
        Assert.Equal(0, participant.Probe.Calls(tx.Tid, confirm ? "cancel" : "confirm"));
        Assert.Equal(confirm ? TccGuardState.Confirmed : TccGuardState.Cancelled, await db.GuardStateAsync(WalletParticipant.Name, tx.Tid));
        Assert.Equal(confirm ? "confirmed" : null, await db.HoldStateAsync(tx.Tid));
        var final = await caller.WaitForTerminalAsync(tx.Tid);
        Assert.Equal(confirm ? TransactionStatus.Confirmed : TransactionStatus.Cancelled, final.Status);
        Assert.True(info.Status is TransactionStatus.Confirmed or TransactionStatus.Confirming or TransactionStatus.Cancelled or TransactionStatus.Cancelling);
    }
}
