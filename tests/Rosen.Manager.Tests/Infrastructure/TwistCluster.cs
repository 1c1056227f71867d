using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Twist;
using Twist.Coordinator.AspNetCore;
using Twist.Transactions;

namespace Rosen.Manager.Tests.Infrastructure;

/// <summary>
/// A real Twist set-up on loopback that exports its spans to the manager with the real OTLP exporter: the embedded
/// coordinator with its REST operator API (service "twist-coordinator", which exports its logs too) and one participant
/// web service ("bank") whose answers can be scripted to fail.
/// </summary>
public sealed class TwistCluster : IAsyncDisposable
{
    public const string OperatorKey = "coordinator-operator-key-0123";

    private readonly Dictionary<string, int> failuresLeft = [];
    private readonly string databasePath = Path.Combine(Path.GetTempPath(), $"rosen-twist-{Guid.NewGuid():N}.db");
    private WebApplication coordinator = null!;
    private WebApplication bank = null!;

    public Uri CoordinatorAddress { get; private set; } = null!;

    public Uri BankAddress { get; private set; } = null!;

    public ITwistCoordinator Coordinator => coordinator.Services.GetRequiredService<ITwistCoordinator>();

    /// <summary>A loopback port free right now, so a manager can be configured with the coordinator's address before it starts.</summary>
    public static int FreePort() => Twist.Testing.LoopbackPorts.Free();

    public static async Task<TwistCluster> StartAsync(Uri managerTraces, int maxAttempts = 20, int coordinatorPort = 0)
    {
        var cluster = new TwistCluster();
        cluster.bank = cluster.BuildBank(managerTraces);
        await cluster.bank.StartAsync(TestContext.Current.CancellationToken);
        cluster.BankAddress = new Uri(cluster.bank.Urls.First());
        cluster.coordinator = cluster.BuildCoordinator(managerTraces, maxAttempts, coordinatorPort);
        await cluster.coordinator.StartAsync(TestContext.Current.CancellationToken);
        cluster.CoordinatorAddress = new Uri(cluster.coordinator.Urls.First());
        return cluster;
    }

    /// <summary>The bank answers the next <paramref name="failures"/> confirm/cancel calls for <paramref name="account"/> with 503.</summary>
    public void FailFirst(string account, int failures)
    {
        lock (failuresLeft)
        {
            failuresLeft[account] = failures;
        }
    }

    public ParticipantLink Link(string account, string tid) => new(new Uri(BankAddress, $"/p/{account}/{tid}"), DateTimeOffset.UtcNow.AddMinutes(5));

    public async ValueTask DisposeAsync()
    {
        foreach (var app in new[] { coordinator, bank })
        {
            if (app is not null)
            {
                await app.StopAsync();
                await app.DisposeAsync();
            }
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(databasePath + suffix);
        }
    }

    // Listeners are process-wide. The coordinator listens to its own source only (a real one would call AddRosenTracing(),
    // but here that would also export the in-process synchronizer's spans as the coordinator's); the bank's ASP.NET Core
    // spans must not include the manager's or the coordinator's requests.
    private static bool BankRequest(HttpContext context) => context.Request.Path.StartsWithSegments("/p");

    private static void Export(OtlpExporterOptions o, Uri endpoint)
    {
        o.Endpoint = endpoint;
        o.Protocol = OtlpExportProtocol.HttpProtobuf;
        o.Headers = $"X-Rosen-Key={ManagerHost.AgentKey}";
        o.ExportProcessorType = ExportProcessorType.Simple;
        o.TimeoutMilliseconds = 5000;
    }

    private WebApplication BuildCoordinator(Uri managerTraces, int maxAttempts, int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The engine's Debug events (decided, completed) belong on the transaction page; the framework's do not.
        builder.Logging.SetMinimumLevel(LogLevel.Warning).AddFilter("Twist", LogLevel.Debug);
        // OpenTelemetry .NET sends EventId.Name as the record's event_name; the number only with this switch.
        builder.Configuration["OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES"] = "true";
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
        builder.Services
            .AddTwistCoordinator(o =>
            {
                o.UseSqlite(databasePath);
                o.AllowedParticipantHosts.Add("127.0.0.1");
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
                o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
                // Each span is exported synchronously to the manager, so a retried confirm can take seconds on a busy CI
                // machine; tests that assert the final status need the confirm call to wait for it.
                o.DecisionWaitTimeout = TimeSpan.FromSeconds(30);
                o.ParticipantCallTimeout = TimeSpan.FromSeconds(2);
                o.MaxAttemptsPerParticipant = maxAttempts;
            })
            .AddTwistCoordinatorApi(o =>
            {
                var key = new TwistApiKey { Name = "rosen-manager", Key = OperatorKey };
                key.Roles.Add(TwistApiRoles.Operator);
                o.ApiKeys.Add(key);
            });
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("twist-coordinator", serviceInstanceId: "coordinator-1"))
            .WithTracing(t => t.AddSource(Twist.Coordinator.Diagnostics.TwistCoordinatorTelemetry.Name).AddHttpClientInstrumentation(o => o.FilterHttpRequestMessage = r => r.RequestUri?.AbsolutePath.StartsWith("/p/", StringComparison.Ordinal) == true).SetSampler(new AlwaysOnSampler()).AddOtlpExporter(o => Export(o, managerTraces)))
            .WithLogging(l => l.AddOtlpExporter((o, processor) =>
            {
                Export(o, new Uri(managerTraces, "/v1/logs"));
                processor.ExportProcessorType = ExportProcessorType.Simple;
            }));
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapTwistCoordinator();
        return app;
    }

    private WebApplication BuildBank(Uri managerTraces)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("bank", serviceInstanceId: "bank-1"))
            .WithTracing(t => t.AddAspNetCoreInstrumentation(o => o.Filter = BankRequest).SetSampler(new AlwaysOnSampler()).AddOtlpExporter(o => Export(o, managerTraces)));
        var app = builder.Build();
        app.MapGet("/healthz", () => "ok");
        app.MapMethods("/p/{account}/{tid}", ["PUT", "DELETE"], (string account, string tid) =>
        {
            bool fail;
            lock (failuresLeft)
            {
                fail = failuresLeft.TryGetValue(account, out var left) && left > 0;
                if (fail)
                {
                    failuresLeft[account] = left - 1;
                }
            }

            return fail ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : Results.Ok();
        });
        return app;
    }
}
