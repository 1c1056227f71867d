using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rosen.Collector;
using Rosen.Collector.Internal;
using Rosen.Collector.Otlp;
using Rosen.Collector.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Rosen span collector.</summary>
public static class RosenCollectorServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>MapRosenCollector()</c> needs: <see cref="RosenCollectorOptions"/> bound from the
    /// <c>Rosen:Collector</c> configuration section (then <paramref name="configure"/>) and validated at start-up, the
    /// SQLite span store (unless an <see cref="ISpanStore"/> is already registered), schema creation at start-up, the
    /// retention worker (spans and log records), and gRPC.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <remarks>Safe to call more than once: services are added once; each <paramref name="configure"/> is applied.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddRosenCollector(this IServiceCollection services, Action<RosenCollectorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(SpanIngestion)))
        {
            services.AddOptions<RosenCollectorOptions>()
                .BindConfiguration(RosenCollectorOptions.SectionName, binder => binder.ErrorOnUnknownConfiguration = true)
                .ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RosenCollectorOptions>, RosenCollectorOptionsValidator>());
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<ISpanStore>(sp => new SqliteSpanStore(sp.GetRequiredService<IOptions<RosenCollectorOptions>>().Value.ConnectionString));
            services.AddMetrics();
            services.TryAddSingleton<CollectorInstruments>();
            services.AddSingleton<SpanIngestion>();
            services.AddSingleton<LogIngestion>();
            services.TryAddSingleton<OtlpHttpEndpoint>();
            services.AddHostedService<SpanStoreInitializer>();
            services.AddHostedService<SpanRetentionService>();
            services.AddGrpc();
            LimitGrpcMessages<OtlpGrpcTraceService>(services);
            LimitGrpcMessages<OtlpGrpcLogsService>(services);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services;
    }

    // A gRPC export is held to the same limit as an HTTP body.
    private static void LimitGrpcMessages<TService>(IServiceCollection services)
        where TService : class =>
        services.AddSingleton<IConfigureOptions<GrpcServiceOptions<TService>>>(sp => new ConfigureNamedOptions<GrpcServiceOptions<TService>>(
            Options.Options.DefaultName,
            o => o.MaxReceiveMessageSize = sp.GetRequiredService<IOptions<RosenCollectorOptions>>().Value.MaxRequestBodySize));
}
