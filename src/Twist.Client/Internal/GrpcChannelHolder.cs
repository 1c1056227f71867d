using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Client.Remote;

namespace Twist.Client.Internal;

/// <summary>Owns the gRPC channel to a hosted coordinator for the lifetime of the service provider.</summary>
internal sealed class GrpcChannelHolder : IDisposable
{
    private readonly GrpcChannel channel;

    public GrpcChannelHolder(IOptions<TwistClientOptions> options, ILoggerFactory loggerFactory)
    {
        var o = options.Value;
        var address = o.Address ?? throw new InvalidOperationException(
            $"{TwistClientOptions.SectionName}:Address is not set; a Grpc coordinator needs the coordinator's base address.");
        channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            },
            DisposeHttpClient = true,
            LoggerFactory = loggerFactory,
        });
        Coordinator = new GrpcTwistCoordinator(channel.CreateCallInvoker(), o.ApiKey, o.RequestTimeout, loggerFactory.CreateLogger<GrpcTwistCoordinator>());
    }

    public GrpcTwistCoordinator Coordinator { get; }

    public void Dispose() => channel.Dispose();
}
