using Microsoft.Extensions.DependencyInjection;

namespace Twist.Client;

/// <summary>Configures the Twist caller SDK further; returned by <c>AddTwistClient</c>.</summary>
public interface ITwistClientBuilder
{
    /// <summary>Gets the service collection the SDK was added to.</summary>
    IServiceCollection Services { get; }
}
