using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Twist.Client.Remote;
using Twist.Errors;
using Twist.Protocol.V1;
using Twist.Transactions;
using ParticipantLink = Twist.Transactions.ParticipantLink;

namespace Twist.Client.Tests.Remote;

public sealed class GrpcTwistCoordinatorTests
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private static TransactionReply Reply(string status) => new()
    {
        Tid = "t1",
        Status = status,
        Expires = Timestamp.FromDateTimeOffset(new DateTimeOffset(2030, 1, 1, 0, 0, 30, TimeSpan.Zero)),
        Created = Timestamp.FromDateTimeOffset(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        Participants = { new ParticipantState { Uri = "http://bank.test/debits/t1", Status = "Cancelled", Attempts = 2 } },
    };

    [Fact]
    public async Task Sends_the_api_key_and_maps_the_reply()
    {
        var invoker = new FakeCallInvoker(_ => Reply("Active"));

        var info = await new GrpcTwistCoordinator(invoker, "key-123").BeginAsync(TimeSpan.FromSeconds(5), Ct);

        Assert.Equal("t1", info.Tid);
        Assert.Equal(TransactionStatus.Active, info.Status);
        Assert.Equal(2, Assert.Single(info.Participants).Attempts);
        Assert.Equal("key-123", invoker.LastHeaders!.GetValue(GrpcTwistCoordinator.ApiKeyMetadataKey));
        Assert.Equal(Duration.FromTimeSpan(TimeSpan.FromSeconds(5)), ((BeginRequest)invoker.LastRequest!).Timeout);
    }

    [Fact]
    public async Task NotFound_becomes_TransactionNotFoundException()
    {
        var invoker = new FakeCallInvoker(_ => throw new RpcException(new Status(StatusCode.NotFound, "no such transaction")));

        var ex = await Assert.ThrowsAsync<TransactionNotFoundException>(() => new GrpcTwistCoordinator(invoker).GetAsync("t1", Ct));

        Assert.Equal("t1", ex.Tid);
    }

    [Fact]
    public async Task FailedPrecondition_becomes_TransactionConflictException_with_the_fetched_outcome()
    {
        var invoker = new FakeCallInvoker(request => request is ConfirmRequest
            ? throw new RpcException(new Status(StatusCode.FailedPrecondition, "Transaction t1 is Cancelled."))
            : Reply("Cancelled"));

        var ex = await Assert.ThrowsAsync<TransactionConflictException>(() => new GrpcTwistCoordinator(invoker).ConfirmAsync("t1", cancellationToken: Ct));

        Assert.Equal(TransactionStatus.Cancelled, ex.Transaction.Status);
        Assert.Equal("Transaction t1 is Cancelled.", ex.Message);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument, typeof(TwistValidationException))]
    [InlineData(StatusCode.Unavailable, typeof(CoordinatorUnavailableException))]
    [InlineData(StatusCode.DeadlineExceeded, typeof(TimeoutException))]
    [InlineData(StatusCode.Unauthenticated, typeof(TwistException))]
    public async Task Maps_status_codes_to_typed_exceptions(StatusCode code, System.Type expected)
    {
        var invoker = new FakeCallInvoker(_ => throw new RpcException(new Status(code, "failed")));

        var ex = await Assert.ThrowsAnyAsync<Exception>(() => new GrpcTwistCoordinator(invoker).CancelAsync("t1", Ct));

        Assert.IsType(expected, ex);
    }

    [Fact]
    public async Task The_twist_code_trailer_overrides_the_status_mapping()
    {
        var trailers = new Metadata { { GrpcTwistCoordinator.CodeTrailer, TwistErrorCodes.TooManyParticipants } };
        var invoker = new FakeCallInvoker(_ => throw new RpcException(new Status(StatusCode.FailedPrecondition, "too many"), trailers));

        var ex = await Assert.ThrowsAsync<TwistValidationException>(
            () => new GrpcTwistCoordinator(invoker).RegisterAsync("t1", [new ParticipantLink(new Uri("http://a.test/1"), DateTimeOffset.UnixEpoch)], Ct));

        Assert.Equal(TwistErrorCodes.TooManyParticipants, ex.Code);
    }

    /// <summary>Answers unary calls from a function, or fails them with the RpcException it throws.</summary>
    private sealed class FakeCallInvoker(Func<object, TransactionReply> answer) : CallInvoker
    {
        public Metadata? LastHeaders { get; private set; }

        public object? LastRequest { get; private set; }

        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        {
            LastHeaders = options.Headers;
            LastRequest = request;
            Task<TResponse> response;
            try
            {
                response = Task.FromResult((TResponse)(object)answer(request));
            }
            catch (RpcException ex)
            {
                response = Task.FromException<TResponse>(ex);
            }

            return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
        }

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
            throw new NotSupportedException();

        public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();

        public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options) =>
            throw new NotSupportedException();
    }
}
