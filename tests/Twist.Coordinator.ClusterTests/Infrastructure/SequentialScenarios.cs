namespace Twist.Coordinator.ClusterTests.Infrastructure;

/// <summary>
/// The scenarios run one at a time: each starts several processes and measures throughput, so running them side by
/// side on a small machine would measure each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SequentialScenarios
{
    public const string Name = "cluster scenarios";
}
