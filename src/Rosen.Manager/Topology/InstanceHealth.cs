namespace Rosen.Manager.Topology;

/// <summary>What the last health probe and heartbeat say about an instance.</summary>
public enum InstanceHealth
{
    Unknown,
    Healthy,
    Unhealthy,
    Stale,
}
