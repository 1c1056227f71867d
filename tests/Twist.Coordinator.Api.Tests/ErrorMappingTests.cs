using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Twist.Coordinator.Api.Tests.Infrastructure;
using Twist.Errors;
using Twist.Protocol.V1;
using Twist.Transactions;
using static Twist.Coordinator.Api.Tests.Infrastructure.Http;

namespace Twist.Coordinator.Api.Tests;

/// <summary>
/// How failures inside the coordinator reach callers: an unavailable coordinator is a 503 with Retry-After, a bug is a
/// 500 problem+json that does not leak the exception text, and gRPC maps the same failures to status codes.
/// </summary>
public sealed class ErrorMappingTests(CoordinatorFixture fixture)
{
    [Fact]
    public async Task Failures_inside_the_coordinator_are_problems_too()
    {
        await using var host = await CoordinatorHost.StartAsync(configure: b => b.Services.AddSingleton<ITwistCoordinator, FailingCoordinator>());
        using var client = host.CreateClient();

        using (var busy = await client.GetAsync("/api/v1/transactions/busy", Ct))
        {
            await AssertProblemAsync(busy, 503, "coordinator-unavailable");
            Assert.NotNull(busy.Headers.RetryAfter);
        }

        using (var boom = await client.GetAsync("/api/v1/transactions/boom", Ct))
        {
            var problem = await AssertProblemAsync(boom, 500, "internal-error");
            Assert.DoesNotContain("secret", problem.GetRawText(), StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        }

        using (var many = await client.GetAsync("/api/v1/transactions/many", Ct))
        {
            await AssertProblemAsync(many, 422, "too-many-participants");
        }

        using var channel = host.CreateGrpcChannel();
        var grpc = new CoordinatorGrpcClient(channel.CreateCallInvoker());
        var unavailable = await Assert.ThrowsAsync<RpcException>(async () => await grpc.GetAsync(new GetRequest { Tid = "busy" }));
        Assert.Equal(StatusCode.Unavailable, unavailable.StatusCode);
        var internalError = await Assert.ThrowsAsync<RpcException>(async () => await grpc.GetAsync(new GetRequest { Tid = "boom" }));
        Assert.Equal(StatusCode.Internal, internalError.StatusCode);
        Assert.DoesNotContain("secret", internalError.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grpc_messages_larger_than_the_body_limit_are_refused()
    {
        using var channel = fixture.Host.CreateGrpcChannel();
        var client = new CoordinatorGrpcClient(channel.CreateCallInvoker());
        var request = new RegisterRequest { Tid = "some-tid" };
        for (var i = 0; i < 1000; i++)
        {
            request.ParticipantLinks.Add(new Protocol.V1.ParticipantLink { Uri = $"http://127.0.0.1/p/{new string('x', 80)}{i}", Expires = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) });
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.RegisterAsync(request));
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    private sealed class FailingCoordinator : ITwistCoordinator
    {
        public Task<TransactionInfo> GetAsync(string tid, CancellationToken cancellationToken = default) => tid switch
        {
            "busy" => throw new CoordinatorUnavailableException("The store is not open."),
            "many" => throw new TwistValidationException(TwistErrorCodes.TooManyParticipants, "participantLinks", "65 participants; the limit is 64."),
            _ => throw new InvalidOperationException("secret internal detail"),
        };

        public Task<TransactionInfo> BeginAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<TransactionInfo> RegisterAsync(string tid, IReadOnlyList<Transactions.ParticipantLink> links, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<TransactionInfo> ConfirmAsync(string tid, IReadOnlyList<Transactions.ParticipantLink>? links = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<TransactionInfo> CancelAsync(string tid, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
