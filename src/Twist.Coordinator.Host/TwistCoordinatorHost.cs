using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;
using Twist.Hosting.Internal;

namespace Twist.Coordinator.Host;

/// <summary>Composes the coordinator host: the engine, the REST/gRPC API on one port, and the health probes.</summary>
public static class TwistCoordinatorHost
{
    /// <summary>The configuration section of host-only settings (<c>ShutdownTimeout</c>).</summary>
    public const string HostSectionName = "Twist:Host";

    /// <summary>Builds the host from command-line arguments, environment variables and appsettings.json.</summary>
    /// <param name="args">The command-line arguments (e.g. <c>--urls http://127.0.0.1:5080</c>).</param>
    /// <param name="configure">Adjusts the builder before the app is built (tests use it), or <see langword="null"/>.</param>
    /// <returns>The app, ready to run.</returns>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        var configuration = builder.Configuration;

        // Graceful shutdown: the engine lets in-flight deliveries record their outcomes within this time.
        var hostSection = configuration.GetSection(HostSectionName);
        builder.Services.AddOptions<CoordinatorHostOptions>()
            .Bind(hostSection, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<CoordinatorHostOptions>, CoordinatorHostOptionsValidator>();
        builder.Services.AddOptions<HostOptions>().Configure<IOptions<CoordinatorHostOptions>>((o, host) => o.ShutdownTimeout = host.Value.ShutdownTimeout);

        // One port for REST (HTTP/1.1) and gRPC (HTTP/2). With TLS, ALPN picks the protocol. On plain http Kestrel would
        // only speak HTTP/1.1 on an Http1AndHttp2 endpoint; CleartextHttp2Detection adds HTTP/2 with prior knowledge
        // (what Grpc.Net.Client sends to an http:// address).
        var cleartextHttp2 = hostSection.GetValue(nameof(CoordinatorHostOptions.CleartextHttp2), true);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.AllowAlternateSchemes = cleartextHttp2;
            kestrel.ConfigureEndpointDefaults(listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (cleartextHttp2)
                {
                    CleartextHttp2Detection.Use(listen);
                }
            });
        });

        var coordinatorSection = configuration.GetSection(TwistCoordinatorOptions.SectionName);
        var store = AddStoreOptions(builder.Services, configuration, coordinatorSection);
        var engineSection = WithoutHostKeys(coordinatorSection);
        var coordinator = builder.Services
            .AddTwistCoordinator(o =>
            {
                engineSection.Bind(o, binder => binder.ErrorOnUnknownConfiguration = true);
                if (store.IsPostgreSql && new CoordinatorStoreOptionsValidator().Validate(null, store).Succeeded)
                {
                    o.UsePostgreSql(store.PostgreSql.ConnectionString!, s => s.Schema = store.PostgreSql.Schema);
                }
            })
            .AddTwistCoordinatorApi();
        AddEventOutputs(coordinator, builder.Services, coordinatorSection);
        builder.Services.AddProblemDetails();
        builder.Services.AddHealthChecks().AddCheck<CoordinatorReadinessCheck>("twist-coordinator", tags: [ReadyTag]);

        configure?.Invoke(builder);
        if (!store.IsPostgreSql)
        {
            EnsureSqliteDirectory(coordinatorSection);
        }

        var app = builder.Build();
        if (cleartextHttp2)
        {
            HostLog.CleartextHttp2Enabled(app.Logger);
        }

        app.UseExceptionHandler();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).DisableHttpMetrics();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).DisableHttpMetrics();
        app.MapTwistCoordinator();
        return app;
    }

    private const string ReadyTag = "ready";

    /// <summary>Binds and validates <c>Twist:Coordinator:Store</c> and <c>Twist:Coordinator:PostgreSql</c>; returns them as configured now.</summary>
    private static CoordinatorStoreOptions AddStoreOptions(IServiceCollection services, IConfiguration configuration, IConfigurationSection coordinatorSection)
    {
        void Bind(CoordinatorStoreOptions o)
        {
            o.Store = coordinatorSection[nameof(CoordinatorStoreOptions.Store)] ?? CoordinatorStoreOptions.SqliteKind;
            coordinatorSection.GetSection(nameof(CoordinatorStoreOptions.PostgreSql)).Bind(o.PostgreSql, binder => binder.ErrorOnUnknownConfiguration = true);
            o.PostgreSql.ConnectionString ??= configuration.GetConnectionString(CoordinatorStoreOptions.ConnectionStringName);
        }

        services.AddOptions<CoordinatorStoreOptions>().Configure(Bind).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CoordinatorStoreOptions>, CoordinatorStoreOptionsValidator>();
        var current = new CoordinatorStoreOptions();
        Bind(current);
        return current;
    }

    /// <summary>
    /// Binds <c>Twist:Coordinator:EventOutput</c> (validated at start) and adds the outputs it names, each bound strictly
    /// from its own section; <c>Twist:Coordinator:Events</c> tunes the queue and retries.
    /// </summary>
    private static void AddEventOutputs(ITwistCoordinatorBuilder coordinator, IServiceCollection services, IConfigurationSection coordinatorSection)
    {
        void Bind(CoordinatorEventOutputOptions o) => o.EventOutput = coordinatorSection[CoordinatorEventOutputOptions.Key];
        services.AddOptions<CoordinatorEventOutputOptions>().Configure(Bind).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CoordinatorEventOutputOptions>, CoordinatorEventOutputOptionsValidator>();
        var outputs = new CoordinatorEventOutputOptions();
        Bind(outputs);

        var configuration = coordinatorSection.GetSection("Events");
        coordinator.ConfigureTransactionEvents(o => configuration.Bind(o, binder => binder.ErrorOnUnknownConfiguration = true));
        if (outputs.Nats)
        {
            var nats = coordinatorSection.GetSection("Nats");
            coordinator.AddNatsEventOutput(o => nats.Bind(o, binder => binder.ErrorOnUnknownConfiguration = true));
        }

        if (outputs.Kafka)
        {
            var kafka = coordinatorSection.GetSection("Kafka");
            coordinator.AddKafkaEventOutput(o => kafka.Bind(o, binder => binder.ErrorOnUnknownConfiguration = true));
        }
    }

    /// <summary>The coordinator section without the host's store and event-output keys, so the engine's options can be bound strictly.</summary>
    private static IConfiguration WithoutHostKeys(IConfigurationSection coordinatorSection)
    {
        static bool Owns(string key, string section) =>
            key.Equals(section, StringComparison.OrdinalIgnoreCase) || key.StartsWith(section + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase);

        static bool IsHostKey(string key) =>
            key.Equals(nameof(CoordinatorStoreOptions.Store), StringComparison.OrdinalIgnoreCase)
            || Owns(key, nameof(CoordinatorStoreOptions.PostgreSql))
            || CoordinatorEventOutputOptions.Sections.Any(section => Owns(key, section));

        return new ConfigurationBuilder()
            .AddInMemoryCollection(coordinatorSection.AsEnumerable(makePathsRelative: true).Where(e => e.Value is not null && !IsHostKey(e.Key)))
            .Build();
    }

    private static void EnsureSqliteDirectory(IConfigurationSection coordinatorSection)
    {
        // SQLite creates the file but not its folder (the default is ./data/twist-coordinator.db).
        var path = coordinatorSection[nameof(TwistCoordinatorOptions.SqlitePath)];
        var directory = string.IsNullOrWhiteSpace(path) ? null : Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
