using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Rosen.Manager.Configuration;
using Rosen.Manager.Topology;

namespace Rosen.Manager.Pages;

public sealed class IndexModel(TopologyService topology, InstanceRegistry registry, IOptions<RosenManagerOptions> options, TimeProvider timeProvider) : PageModel
{
    public TopologyGraph Graph { get; private set; } = new([], []);

    public IReadOnlyList<InstanceState> Instances { get; private set; } = [];

    public TimeSpan Window => options.Value.TopologyWindow;

    public DateTimeOffset Now { get; private set; }

    public InstanceHealth HealthOf(InstanceState instance) => registry.HealthOf(instance);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Now = timeProvider.GetUtcNow();
        Graph = await topology.BuildAsync(cancellationToken);
        Instances = registry.List();
    }
}
