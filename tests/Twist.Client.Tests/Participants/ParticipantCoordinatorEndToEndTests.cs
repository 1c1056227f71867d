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
        var coordinatorDb = Path.Combine(Path.GetTempPath(), $"twist-coordinator-{Guid.NewGuid():N}.db");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddTwistCoordinator(o =>
        {
            o.UseSqlite(coordinatorDb);
            o.AllowedParticipantHosts.Add("127.0.0.1");
            o.ParticipantCredential.BearerToken = ParticipantHost.BearerToken;
            o.ParticipantCredential.HmacKey = ParticipantHost.HmacKey;
            o.DecisionWaitTimeout = TimeSpan.FromSeconds(5);
        });
        builder.Services.AddTwistClient();
        builder.Services.AddHttpClient("wallet", c => c.BaseAddress = participant.Address).AddTwistTransactionPropagation();
        using var caller = builder.Build();
        await caller.StartAsync(Ct);
        try
        {
            var twist = caller.Services.GetRequiredService<ITwistClient>();
            var http = caller.Services.GetRequiredService<IHttpClientFactory>().CreateClient("wallet");
            await using var tx = await twist.BeginAsync(TimeSpan.FromSeconds(30), Ct);

            using var tried = await http.PostAsJsonAsync(ParticipantHost.WalletRoute, new DebitRequest(100), Ct);
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
            var final = await WaitForTerminalAsync(twist, caller, tx.Tid);
            Assert.Equal(confirm ? TransactionStatus.Confirmed : TransactionStatus.Cancelled, final.Status);
            Assert.True(info.Status is TransactionStatus.Confirmed or TransactionStatus.Confirming or TransactionStatus.Cancelled or TransactionStatus.Cancelling);
        }
        finally
        {
            await caller.StopAsync(Ct);
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
            {
                File.Delete(coordinatorDb + suffix);
            }
        }
    }

    private static async Task<TransactionInfo> WaitForTerminalAsync(ITwistClient twist, IHost caller, string tid)
    {
        var coordinator = caller.Services.GetRequiredService<ITwistCoordinator>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var info = await coordinator.GetAsync(tid, Ct);
            if (info.Status is TransactionStatus.Confirmed or TransactionStatus.Cancelled || DateTime.UtcNow > deadline)
            {
                return info;
            }

            await Task.Delay(20, Ct);
        }
    }
}
