using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Hosting;

/// <summary>Returned by <c>AddGravitySync</c> so targets, sources, rules and outbox relays can be chained.</summary>
public interface IGravitySyncBuilder
{
    /// <summary>Gets the service collection the synchronizer is registered in.</summary>
    IServiceCollection Services { get; }
}

/// <summary>The default <see cref="IGravitySyncBuilder"/>.</summary>
internal sealed class GravitySyncBuilder(IServiceCollection services) : IGravitySyncBuilder
{
    public IServiceCollection Services { get; } = services;
}
