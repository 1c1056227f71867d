using Gravity.Sync.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Gravity.Sync.Engine;

/// <summary>
/// Picks what the synchronizer reads: a source shared with other instances (Kafka consumer group, claimed NATS
/// partitions) when one is registered, else a partitioned source, otherwise the <see cref="IEventSource"/> (the
/// embedded log unless replaced). Resolved lazily so an unused embedded log is never created.
/// </summary>
internal sealed class EventSourceSelection(IServiceProvider services)
{
    public string Describe() => Shared()?.Name ?? services.GetServices<IPartitionedEventSource>().LastOrDefault()?.Name ?? services.GetRequiredService<IEventSource>().Name;

    /// <summary>Gets the shared source, when one is registered: its partitions are assigned at run time.</summary>
    public IDynamicPartitionSource? Shared() => services.GetServices<IDynamicPartitionSource>().LastOrDefault();

    /// <summary>Lists the ordered sources to read: the partitions of a partitioned source, or the one source.</summary>
    public async ValueTask<IReadOnlyList<IEventSource>> ResolveAsync(CancellationToken cancellationToken)
    {
        if (services.GetServices<IPartitionedEventSource>().LastOrDefault() is not { } partitioned)
        {
            return [services.GetRequiredService<IEventSource>()];
        }

        var partitions = await partitioned.GetPartitionsAsync(cancellationToken).ConfigureAwait(false);
        if (partitions.Count == 0)
        {
            throw new InvalidOperationException($"Event source \"{partitioned.Name}\" has no partitions to read.");
        }

        var duplicate = partitions.GroupBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return duplicate is not null
            ? throw new InvalidOperationException($"Event source \"{partitioned.Name}\" lists partition name \"{duplicate.Key}\" more than once; checkpoints are kept by partition name, so names must be distinct.")
            : partitions;
    }
}
