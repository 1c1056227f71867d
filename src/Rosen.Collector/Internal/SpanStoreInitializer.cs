using Microsoft.Extensions.Hosting;
using Rosen.Collector.Storage;

namespace Rosen.Collector.Internal;

/// <summary>Creates the span store's schema at start-up, so a bad connection string fails the start, not the first export.</summary>
internal sealed class SpanStoreInitializer(ISpanStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => store.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
