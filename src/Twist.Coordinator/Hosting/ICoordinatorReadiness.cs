using Twist.Coordinator.Engine;

namespace Twist.Coordinator.Hosting;

/// <summary>Tells health checks whether the coordinator can take work.</summary>
public interface ICoordinatorReadiness
{
    /// <summary>Gets whether the store is open and, in a cluster, this instance holds its lease.</summary>
    bool IsReady { get; }

    /// <summary>Gets how many decided transactions this instance is delivering right now.</summary>
    int DrivingCount { get; }
}

/// <summary>The default <see cref="ICoordinatorReadiness"/>.</summary>
internal sealed class CoordinatorReadiness(StoreAccessor stores, TransactionDriver driver, InstanceLease lease) : ICoordinatorReadiness
{
    // An instance that lost its lease (it cannot reach the database) would only answer 503s: take it out of rotation.
    public bool IsReady => stores.IsReady && lease.IsHeld;

    public int DrivingCount => driver.DrivingCount;
}
