using Microsoft.Extensions.DependencyInjection;

namespace Twist.Client.Internal;

/// <summary>The <see cref="ITwistClientBuilder"/> returned by <c>AddTwistClient</c>.</summary>
internal sealed class TwistClientBuilder(IServiceCollection services) : ITwistClientBuilder
{
    public IServiceCollection Services { get; } = services;
}
