using Google.Protobuf;
using Grpc.Core;
using Twist.Protocol.V1;

namespace Twist.Coordinator.Api.Tests.Infrastructure;

/// <summary>
/// A client for <c>twist.v1.Coordinator</c> built from the message types the server assembly generated (the test does
/// not compile the proto a second time, which would duplicate those types).
/// </summary>
public sealed class CoordinatorGrpcClient(CallInvoker invoker)
{
    private const string Service = "twist.v1.Coordinator";

    private static readonly Method<BeginRequest, TransactionReply> BeginMethod = Create<BeginRequest>("Begin", BeginRequest.Parser);
    private static readonly Method<RegisterRequest, TransactionReply> RegisterMethod = Create<RegisterRequest>("Register", RegisterRequest.Parser);
    private static readonly Method<ConfirmRequest, TransactionReply> ConfirmMethod = Create<ConfirmRequest>("Confirm", ConfirmRequest.Parser);
    private static readonly Method<CancelRequest, TransactionReply> CancelMethod = Create<CancelRequest>("Cancel", CancelRequest.Parser);
    private static readonly Method<GetRequest, TransactionReply> GetMethod = Create<GetRequest>("Get", GetRequest.Parser);

    public AsyncUnaryCall<TransactionReply> BeginAsync(BeginRequest request) => Call(BeginMethod, request);

    public AsyncUnaryCall<TransactionReply> RegisterAsync(RegisterRequest request) => Call(RegisterMethod, request);

    public AsyncUnaryCall<TransactionReply> ConfirmAsync(ConfirmRequest request) => Call(ConfirmMethod, request);

    public AsyncUnaryCall<TransactionReply> CancelAsync(CancelRequest request) => Call(CancelMethod, request);

    public AsyncUnaryCall<TransactionReply> GetAsync(GetRequest request) => Call(GetMethod, request);

    private AsyncUnaryCall<TransactionReply> Call<TRequest>(Method<TRequest, TransactionReply> method, TRequest request)
        where TRequest : class, IMessage<TRequest> =>
        invoker.AsyncUnaryCall(method, null, new CallOptions(cancellationToken: TestContext.Current.CancellationToken, deadline: DateTime.UtcNow.AddSeconds(30)), request);

    private static Method<TRequest, TransactionReply> Create<TRequest>(string name, MessageParser<TRequest> parser)
        where TRequest : class, IMessage<TRequest> =>
        new(MethodType.Unary, Service, name,
            Marshallers.Create(r => r.ToByteArray(), parser.ParseFrom),
            Marshallers.Create(r => r.ToByteArray(), TransactionReply.Parser.ParseFrom));
}
