using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Twist.Protocol.V1;

namespace Twist.Bench;

/// <summary>The caller side of the gRPC protocol (twist.v1.Coordinator) over h2c on the host's single port.</summary>
internal sealed class GrpcCaller : IDisposable
{
    private readonly GrpcChannel channel;
    private readonly Twist.Protocol.V1.Coordinator.CoordinatorClient client;
    private readonly Metadata headers;

    public GrpcCaller(Uri address, string apiKey)
    {
        channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
        });
        client = new Twist.Protocol.V1.Coordinator.CoordinatorClient(channel);
        headers = new Metadata { { "x-api-key", apiKey } };
    }

    public async Task<string> BeginAsync()
    {
        var reply = await client.BeginAsync(new BeginRequest { Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(30)) }, headers);
        return reply.Tid;
    }

    public async Task ConfirmAsync(string tid, Uri a, Uri b)
    {
        var expires = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddMinutes(1));
        var request = new ConfirmRequest { Tid = tid };
        request.ParticipantLinks.Add(new Twist.Protocol.V1.ParticipantLink { Uri = a.AbsoluteUri, Expires = expires });
        request.ParticipantLinks.Add(new Twist.Protocol.V1.ParticipantLink { Uri = b.AbsoluteUri, Expires = expires });
        var reply = await client.ConfirmAsync(request, headers);
        if (reply.Status != "Confirmed")
        {
            throw new InvalidOperationException($"transaction {tid} is {reply.Status}");
        }
    }

    public void Dispose() => channel.Dispose();
}
