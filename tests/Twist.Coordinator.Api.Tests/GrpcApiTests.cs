using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Twist.Coordinator.Api.Tests.Infrastructure;
using Twist.Protocol.V1;

namespace Twist.Coordinator.Api.Tests;

/// <summary>The twist.v1.Coordinator gRPC service through Grpc.Net.Client on the same http:// port as REST.</summary>
public sealed class GrpcApiTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task Begin_register_confirm_get_over_grpc()
    {
        using var channel = fixture.Host.CreateGrpcChannel();
        var client = new CoordinatorGrpcClient(channel.CreateCallInvoker());
        var name = $"grpc-{Guid.NewGuid():N}";

        var begun = await client.BeginAsync(new BeginRequest { Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) });
        Assert.Equal("Active", begun.Status);
        Assert.Equal(string.Empty, begun.Attention);

        var link = new Protocol.V1.ParticipantLink { Uri = fixture.Participants.Link(name).ToString(), Expires = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(5)) };
        var registered = await client.RegisterAsync(new RegisterRequest { Tid = begun.Tid, ParticipantLinks = { link } });
        Assert.Single(registered.Participants);

        var confirmed = await client.ConfirmAsync(new ConfirmRequest { Tid = begun.Tid });
        Assert.Equal("Confirmed", confirmed.Status);
        Assert.NotNull(confirmed.Decided);
        Assert.Equal("PUT", Assert.Single(fixture.Participants.CallsFor(name)).Method);

        var got = await client.GetAsync(new GetRequest { Tid = begun.Tid });
        Assert.Equal("Confirmed", got.Status);
        Assert.Equal("Confirmed", Assert.Single(got.Participants).Status);
    }

    [Fact]
    public async Task Errors_map_to_grpc_status_codes_with_the_stable_code_in_trailers()
    {
        using var channel = fixture.Host.CreateGrpcChannel();
        var client = new CoordinatorGrpcClient(channel.CreateCallInvoker());

        var notFound = await Assert.ThrowsAsync<RpcException>(async () => await client.GetAsync(new GetRequest { Tid = "no-such-transaction" }));
        Assert.Equal(StatusCode.NotFound, notFound.StatusCode);
        Assert.Equal("transaction-not-found", notFound.Trailers.GetValue("twist-code"));

        var invalid = await Assert.ThrowsAsync<RpcException>(async () => await client.GetAsync(new GetRequest { Tid = "bad tid!" }));
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);

        var negative = await Assert.ThrowsAsync<RpcException>(async () => await client.BeginAsync(new BeginRequest { Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(-1)) }));
        Assert.Equal(StatusCode.InvalidArgument, negative.StatusCode);

        var begun = await client.BeginAsync(new BeginRequest());
        var badLink = await Assert.ThrowsAsync<RpcException>(async () => await client.RegisterAsync(new RegisterRequest
        {
            Tid = begun.Tid,
            ParticipantLinks = { new Protocol.V1.ParticipantLink { Uri = "http://evil.example.com/x", Expires = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1)) } },
        }));
        Assert.Equal(StatusCode.InvalidArgument, badLink.StatusCode);
        Assert.Equal("invalid-participant-link", badLink.Trailers.GetValue("twist-code"));

        await client.CancelAsync(new CancelRequest { Tid = begun.Tid });
        var conflict = await Assert.ThrowsAsync<RpcException>(async () => await client.ConfirmAsync(new ConfirmRequest { Tid = begun.Tid }));
        Assert.Equal(StatusCode.FailedPrecondition, conflict.StatusCode);
        Assert.Equal("Cancelled", conflict.Trailers.GetValue("twist-status"));
        Assert.Contains("Cancelled", conflict.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_without_a_key_is_unauthenticated()
    {
        using var channel = fixture.Host.CreateGrpcChannel(apiKey: null);
        var client = new CoordinatorGrpcClient(channel.CreateCallInvoker());
        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.BeginAsync(new BeginRequest()));
        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }
}
