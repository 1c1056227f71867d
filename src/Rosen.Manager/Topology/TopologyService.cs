using Microsoft.Extensions.Options;
using Rosen.Collector.Storage;
using Rosen.Manager.Configuration;

namespace Rosen.Manager.Topology;

/// <summary>Joins what the collected spans say (services, edges) with what registration and probing say (instances, health).</summary>
public sealed class TopologyService(ISpanStore store, InstanceRegistry registry, IOptions<RosenManagerOptions> options, TimeProvider timeProvider)
{
    public async Task<TopologyGraph> BuildAsync(CancellationToken cancellationToken)
    {
        var since = timeProvider.GetUtcNow() - options.Value.TopologyWindow;
        var services = await store.ListServicesAsync(since, cancellationToken).ConfigureAwait(false);
        var edges = await store.GetServiceEdgesAsync(since, cancellationToken).ConfigureAwait(false);
        var instances = registry.List();

        var names = services.Select(s => s.Name).Concat(instances.Select(i => i.Service)).Distinct(StringComparer.Ordinal);
        var nodes = names.Select(name =>
        {
            var mine = instances.Where(i => i.Service == name).ToList();
            var seen = services.FirstOrDefault(s => s.Name == name);
            var kind = mine.Count > 0 ? mine.Max(i => i.Kind) : InstanceKind.Service;
            return new TopologyNode(name, kind, Worst(mine.Select(registry.HealthOf)), mine, seen?.SpanCount ?? 0, seen?.ErrorCount ?? 0, seen?.LastSeen);
        }).ToList();

        var merged = edges
            .GroupBy(e => (e.From, e.To, e.Messaging))
            .Select(g => new TopologyEdge(g.Key.From, g.Key.To, g.Key.Messaging, g.Sum(e => e.Count), g.Sum(e => e.ErrorCount)))
            .ToList();
        return new TopologyGraph(nodes, merged);
    }

    private static InstanceHealth Worst(IEnumerable<InstanceHealth> health)
    {
        var all = health.ToList();
        if (all.Count == 0)
        {
            return InstanceHealth.Unknown;
        }

        if (all.Contains(InstanceHealth.Unhealthy))
        {
            return InstanceHealth.Unhealthy;
        }

        if (all.Contains(InstanceHealth.Stale))
        {
            return InstanceHealth.Stale;
        }

        return all.All(h => h == InstanceHealth.Healthy) ? InstanceHealth.Healthy : InstanceHealth.Unknown;
    }
}
