namespace Rosen.Manager.Topology;

/// <summary>What an instance is, as it registered.</summary>
public enum InstanceKind
{
    Service,
    Coordinator,
    Synchronizer,
}
