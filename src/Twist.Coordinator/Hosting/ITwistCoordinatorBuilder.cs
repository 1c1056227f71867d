using Microsoft.Extensions.DependencyInjection;

namespace Twist.Coordinator.Hosting;

/// <summary>Returned by <c>AddTwistCoordinator</c> so further coordinator features (API, stores) can be chained.</summary>
public interface ITwistCoordinatorBuilder
{
    /// <summary>Gets the service collection the coordinator is registered in.</summary>
    IServiceCollection Services { get; }
}

/// <summary>The default <see cref="ITwistCoordinatorBuilder"/>.</summary>
internal sealed class TwistCoordinatorBuilder(IServiceCollection services) : ITwistCoordinatorBuilder
{
    public IServiceCollection Services { get; } = services;
}
