using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>Applies <see cref="TwistApiOptions.MaxRequestBodySize"/> to gRPC messages too (gRPC's own default is 4 MB).</summary>
internal sealed class ConfigureTwistGrpcService(IOptions<TwistApiOptions> apiOptions) : IConfigureOptions<GrpcServiceOptions<TwistCoordinatorGrpcService>>
{
    public void Configure(GrpcServiceOptions<TwistCoordinatorGrpcService> options) =>
        options.MaxReceiveMessageSize = (int)Math.Min(apiOptions.Value.MaxRequestBodySize, int.MaxValue);
}
