using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Twist.Client.Tests.Participants.Infrastructure;
using Twist.Participants;
using Twist.Protocol;
using Twist.Protocol.V1;
using Twist.Transactions;

namespace Twist.Client.Tests.Participants;

/// <summary>
/// The participant runtime's gRPC service (<c>twist.v1.Participant</c>) on a cleartext HTTP/2 Kestrel endpoint whose
/// Try answers hand out <c>grpc://</c> links: driven by the real embedded coordinator, and by a gRPC client that sends
/// exactly what the coordinator's gRPC transport sends.
/// </summary>
public sealed class ParticipantGrpcTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_coordinator_confirms_or_cancels_a_grpc_link_through_the_participant_handler_exactly_once(bool confirm)
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var participant = await StartGrpcParticipantAsync(db);
        // The participant's only endpoint speaks HTTP/2 (prior knowledge), so the caller's Try does too.
        await using var caller = await EmbeddedCoordinatorCaller.StartAsync(participant.Address, http2Only: true);
        await using var tx = await caller.Twist.BeginAsync(TimeSpan.FromSeconds(30), Ct);

        using var tried = await caller.Wallet.PostAsJsonAsync(ParticipantHost.WalletRoute, new DebitRequest(100), Ct);
        Assert.Equal(HttpStatusCode.OK, tried.StatusCode);
        var link = Assert.Single(tx.Participants);
        Assert.Equal(new Uri($"grpc://127.0.0.1:{participant.Address.Port}{ParticipantHost.WalletRoute}/{tx.Tid}"), link.Uri);

        _ = confirm ? await tx.ConfirmAsync(Ct) : await tx.CancelAsync(Ct);

        var phase = confirm ? "confirm" : "cancel";
        var final = await caller.WaitForTerminalAsync(tx.Tid);
        Assert.Equal(confirm ? TransactionStatus.Confirmed : TransactionStatus.Cancelled, final.Status);
        Assert.Equal(1, participant.Probe.Calls(tx.Tid, phase));
        Assert.Equal(0, participant.Probe.Calls(tx.Tid, confirm ? "cancel" : "confirm"));
        Assert.Equal(confirm ? TccGuardState.Confirmed : TccGuardState.Cancelled, await db.GuardStateAsync(WalletParticipant.Name, tx.Tid));
        Assert.Equal(confirm ? "confirmed" : null, await db.HoldStateAsync(tx.Tid));
    }

    [Fact]
    public async Task With_cleartext_HTTP2_one_plain_port_serves_the_HTTP1_Try_and_the_grpc_Confirm()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        var port = FreePort();
        await using var participant = await ParticipantHost.StartAsync(
            db,
            o => o.PublicBaseAddress = new Uri($"grpc://127.0.0.1:{port}"),
            customize: b =>
            {
                b.WebHost.UseTwistCleartextHttp2();
                b.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
            });
        await using var caller = await EmbeddedCoordinatorCaller.StartAsync(participant.Address, http2Only: false);
        await using var tx = await caller.Twist.BeginAsync(TimeSpan.FromSeconds(30), Ct);

        using var tried = await caller.Wallet.PostAsJsonAsync(ParticipantHost.WalletRoute, new DebitRequest(100), Ct);
        Assert.Equal(HttpStatusCode.OK, tried.StatusCode);
        Assert.Equal(HttpVersion.Version11, tried.Version);
        Assert.Equal(new Uri($"grpc://127.0.0.1:{port}{ParticipantHost.WalletRoute}/{tx.Tid}"), Assert.Single(tx.Participants).Uri);

        await tx.ConfirmAsync(Ct);

        Assert.Equal(TransactionStatus.Confirmed, (await caller.WaitForTerminalAsync(tx.Tid)).Status);
        Assert.Equal(1, participant.Probe.Calls(tx.Tid, "confirm"));
        Assert.Equal(TccGuardState.Confirmed, await db.GuardStateAsync(WalletParticipant.Name, tx.Tid));
    }

    [Fact]
    public async Task A_duplicate_grpc_Confirm_answers_OK_without_running_the_handler_again()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var participant = await StartGrpcParticipantAsync(db);
        using var channel = Channel(participant);
        var tid = ParticipantHost.NewTid();
        await TryAsync(participant, tid);

        await CallAsync(channel, participant, tid, confirm: true);
        await CallAsync(channel, participant, tid, confirm: true);

        Assert.Equal(1, participant.Probe.Calls(tid, "confirm"));
        Assert.Equal(TccGuardState.Confirmed, await db.GuardStateAsync(WalletParticipant.Name, tid));
    }

    [Fact]
    public async Task A_grpc_Cancel_before_any_Try_is_done_and_a_later_Confirm_is_FAILED_PRECONDITION()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var participant = await StartGrpcParticipantAsync(db);
        using var channel = Channel(participant);
        var tid = ParticipantHost.NewTid();

        await CallAsync(channel, participant, tid, confirm: false);
        var confirm = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, participant, tid, confirm: true));

        Assert.Equal(StatusCode.FailedPrecondition, confirm.StatusCode);
        Assert.Equal(0, participant.Probe.Calls(tid, "cancel"));
        Assert.Equal(TccGuardState.Cancelled, await db.GuardStateAsync(WalletParticipant.Name, tid));
    }

    [Fact]
    public async Task A_grpc_Confirm_without_a_Try_is_NOT_FOUND_and_a_Cancel_after_Confirm_is_FAILED_PRECONDITION()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var participant = await StartGrpcParticipantAsync(db);
        using var channel = Channel(participant);
        var untried = ParticipantHost.NewTid();
        var confirmed = ParticipantHost.NewTid();
        await TryAsync(participant, confirmed);
        await CallAsync(channel, participant, confirmed, confirm: true);

        var notTried = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, participant, untried, confirm: true));
        var conflict = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, participant, confirmed, confirm: false));

        Assert.Equal(StatusCode.NotFound, notTried.StatusCode);
        Assert.Equal(StatusCode.FailedPrecondition, conflict.StatusCode);
        Assert.Equal(0, participant.Probe.Calls(confirmed, "cancel"));
    }

    [Fact]
    public async Task A_grpc_Confirm_under_a_stale_epoch_is_ABORTED_with_the_higher_epoch_in_the_trailer()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var participant = await StartGrpcParticipantAsync(db);
        using var channel = Channel(participant);
        var tid = ParticipantHost.NewTid();
        await TryAsync(participant, tid);
        await CallAsync(channel, participant, tid, confirm: true, epoch: 3);

        var stale = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, participant, tid, confirm: true, epoch: 2));

        Assert.Equal(StatusCode.Aborted, stale.StatusCode);
        Assert.Equal("3", stale.Trailers.GetValue("twist-epoch"));
        Assert.Equal(1, participant.Probe.Calls(tid, "confirm"));
    }

    [Fact]
    public async Task A_grpc_call_without_the_coordinators_credential_is_UNAUTHENTICATED_and_runs_nothing()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var participant = await StartGrpcParticipantAsync(db);
        using var channel = Channel(participant);
        var tid = ParticipantHost.NewTid();
        await TryAsync(participant, tid);

        var unsigned = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, participant, tid, confirm: true, signed: false));
        var wrongKey = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, participant, tid, confirm: true, hmacKey: "another-hmac-key-0123456789abcdef0123"));

        Assert.Equal(StatusCode.Unauthenticated, unsigned.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrongKey.StatusCode);
        Assert.Equal(0, participant.Probe.Calls(tid, "confirm"));
        Assert.Equal(TccGuardState.Tried, await db.GuardStateAsync(WalletParticipant.Name, tid));
    }

    [Fact]
    public async Task A_failing_grpc_Confirm_is_UNAVAILABLE_so_the_coordinator_retries_and_the_retry_applies_it()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var participant = await StartGrpcParticipantAsync(db);
        using var channel = Channel(participant);
        var tid = ParticipantHost.NewTid();
        await TryAsync(participant, tid);
        participant.Probe.FailNextConfirm = true;

        var failed = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, participant, tid, confirm: true));
        await CallAsync(channel, participant, tid, confirm: true);

        Assert.Equal(StatusCode.Unavailable, failed.StatusCode);
        Assert.DoesNotContain("failed after writing", failed.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(TccGuardState.Confirmed, await db.GuardStateAsync(WalletParticipant.Name, tid));
    }

    [Fact]
    public async Task A_grpc_link_path_of_no_participant_is_INVALID_ARGUMENT_not_a_done_Cancel()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        await using var participant = await StartGrpcParticipantAsync(db);
        using var channel = Channel(participant);
        var tid = ParticipantHost.NewTid();

        var unknown = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, participant, tid, confirm: false, route: "/nobody/here"));

        Assert.Equal(StatusCode.InvalidArgument, unknown.StatusCode);
        Assert.Null(await db.GuardStateAsync(WalletParticipant.Name, tid));
    }

    [Fact]
    public async Task With_EnableGrpc_off_the_participant_service_is_not_mapped()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);
        var port = FreePort();
        await using var participant = await ParticipantHost.StartAsync(
            db,
            o => o.EnableGrpc = false,
            customize: b => b.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2)));
        using var channel = Channel(participant);
        var tid = ParticipantHost.NewTid();
        await TryAsync(participant, tid);

        var call = await Assert.ThrowsAsync<RpcException>(() => CallAsync(channel, participant, tid, confirm: true));

        Assert.Equal(StatusCode.Unimplemented, call.StatusCode);
        Assert.Equal(0, participant.Probe.Calls(tid, "confirm"));
    }

    [Fact]
    public async Task A_grpc_PublicBaseAddress_with_EnableGrpc_off_fails_at_start_up()
    {
        await using var db = await GuardDatabase.CreateAsync(GuardDatabase.Sqlite);

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => ParticipantHost.StartAsync(db, o =>
        {
            o.EnableGrpc = false;
            o.PublicBaseAddress = new Uri("grpc://127.0.0.1:5001");
        }));

        Assert.Contains("EnableGrpc", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Hosts the participants on one cleartext HTTP/2 endpoint whose Try answers hand out grpc:// links.</summary>
    private static Task<ParticipantHost> StartGrpcParticipantAsync(GuardDatabase db)
    {
        var port = FreePort();
        return ParticipantHost.StartAsync(
            db,
            o => o.PublicBaseAddress = new Uri($"grpc://127.0.0.1:{port}"),
            customize: b => b.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2)));
    }

    private static int FreePort() => Twist.Testing.LoopbackPorts.Free();

    private static GrpcChannel Channel(ParticipantHost participant) => GrpcChannel.ForAddress(participant.Address);

    private static async Task TryAsync(ParticipantHost participant, string tid)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, ParticipantHost.WalletRoute)
        {
            Content = JsonContent.Create(new DebitRequest(100)),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        message.Headers.Add(TwistHeaders.TransactionId, tid);
        using var answer = await participant.Http.SendAsync(message, Ct);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
    }

    /// <summary>Calls Confirm or Cancel with the metadata the coordinator's gRPC transport sends (signed with POST and the grpc:// link).</summary>
    private static async Task CallAsync(
        GrpcChannel channel, ParticipantHost participant, string tid, bool confirm, long epoch = 0, bool signed = true,
        string hmacKey = ParticipantHost.HmacKey, string? route = null)
    {
        var link = new Uri($"grpc://127.0.0.1:{participant.Address.Port}{route ?? ParticipantHost.WalletRoute}/{tid}");
        var phase = confirm ? TwistHeaders.PhaseConfirm : TwistHeaders.PhaseCancel;
        var headers = new Metadata { { "twist-transaction-id", tid }, { "twist-phase", phase } };
        if (epoch > 0)
        {
            headers.Add("twist-epoch", epoch.ToString(CultureInfo.InvariantCulture));
        }

        if (signed)
        {
            var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            headers.Add("authorization", "Bearer " + ParticipantHost.BearerToken);
            headers.Add("twist-timestamp", ts.ToString(CultureInfo.InvariantCulture));
            headers.Add("twist-signature", TwistSignature.Compute(Encoding.UTF8.GetBytes(hmacKey), "POST", link.AbsoluteUri, tid, phase, ts, epoch));
        }

        var client = new Participant.ParticipantClient(channel);
        var request = new PhaseRequest { Tid = tid, LinkPath = link.PathAndQuery };
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(10), Ct);
        if (confirm)
        {
            await client.ConfirmAsync(request, options);
        }
        else
        {
            await client.CancelAsync(request, options);
        }
    }
}
