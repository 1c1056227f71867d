using Twist.Coordinator.Engine;

namespace Twist.Coordinator.Hosting;

/// <summary>Tells health checks whether the coordinator can take work.</summary>
public interface ICoordinatorReadiness
{
    /// <summary>Gets whether the store is open.</summary>
    bool IsReady { get; }

    /// <summary>Gets how many decided transactions this instance is delivering right now.</summary>
    int DrivingCount { get; }
}

/// <summary>The default <see cref="ICoordinatorReadiness"/>.</summary>
internal sealed class CoordinatorReadiness(StoreAccessor stores, TransactionDriver driver) : ICoordinatorReadiness
{
    public bool IsReady => stores.IsReady;

    public int DrivingCount => driver.DrivingCount;
}
