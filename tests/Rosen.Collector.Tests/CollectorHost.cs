using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rosen.Collector;
using Rosen.Collector.Storage;

namespace Rosen.Collector.Tests;

/// <summary>The collector on real Kestrel: one HTTP/1.1 port (OTLP/HTTP) and one HTTP/2 port (OTLP/gRPC), SQLite in a temp file.</summary>
public sealed class CollectorHost : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly string databasePath;

    private CollectorHost(WebApplication app, string databasePath)
    {
        this.app = app;
        this.databasePath = databasePath;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.ToArray();
        HttpAddress = new Uri(addresses[0]);
        GrpcAddress = new Uri(addresses[1]);
    }

    public Uri HttpAddress { get; }

    public Uri GrpcAddress { get; }

    public Uri TracesUri => new(HttpAddress, "/v1/traces");

    public Uri LogsUri => new(HttpAddress, "/v1/logs");

    public ISpanStore Store => app.Services.GetRequiredService<ISpanStore>();

    public IServiceProvider Services => app.Services;

    public static async Task<CollectorHost> StartAsync(Action<RosenCollectorOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var databasePath = Path.Combine(Path.GetTempPath(), $"rosen-collector-{Guid.NewGuid():N}.db");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
        });
        services?.Invoke(builder.Services);
        builder.Services.AddRosenCollector(o =>
        {
            o.ConnectionString = $"Data Source={databasePath}";
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.MapRosenCollector();
        await app.StartAsync(TestContext.Current.CancellationToken);
        return new CollectorHost(app, databasePath);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(databasePath + suffix);
        }
    }
}
