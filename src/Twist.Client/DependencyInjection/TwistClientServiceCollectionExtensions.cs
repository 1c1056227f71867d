using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist;
using Twist.Client;
using Twist.Client.Internal;
using Twist.Client.Remote;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the Twist caller SDK to a service collection.</summary>
public static class TwistClientServiceCollectionExtensions
{
    internal const string RestHttpClientName = "Twist.Client.Rest";

    /// <summary>
    /// Registers <see cref="ITwistClient"/>, configured from the <c>Twist:Client</c> configuration section and validated
    /// at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to configure the SDK further.</returns>
    /// <remarks>
    /// <para>
    /// With <see cref="TwistCoordinatorKind.Embedded"/> (the default) the client uses the <see cref="ITwistCoordinator"/>
    /// that <c>AddTwistCoordinator</c> registered; start-up fails with a message saying so when there is none. With
    /// <see cref="TwistCoordinatorKind.Grpc"/> or <see cref="TwistCoordinatorKind.Rest"/> it calls the hosted
    /// coordinator at <see cref="TwistClientOptions.Address"/>, sending <see cref="TwistClientOptions.ApiKey"/>.
    /// </para>
    /// <para>Safe to call multiple times: services are added once, and each delegate configures the same options.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static ITwistClientBuilder AddTwistClient(this IServiceCollection services) => AddTwistClientCore(services, configure: null);

    /// <inheritdoc cref="AddTwistClient(IServiceCollection)"/>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options, after the configuration section was applied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static ITwistClientBuilder AddTwistClient(this IServiceCollection services, Action<TwistClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return AddTwistClientCore(services, configure);
    }

    private static TwistClientBuilder AddTwistClientCore(IServiceCollection services, Action<TwistClientOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = new TwistClientBuilder(services);
        if (!services.Any(d => d.ServiceType == typeof(TwistClientMarker)))
        {
            services.AddSingleton<TwistClientMarker>();

            // Configuration first, so that code given to AddTwistClient overrides it.
            services.AddSingleton<IConfigureOptions<TwistClientOptions>>(sp => new ConfigureFromConfiguration(sp.GetService<IConfiguration>()));
            services.AddOptions<TwistClientOptions>().ValidateOnStart();
            services.AddSingleton<IValidateOptions<TwistClientOptions>>(
                sp => new TwistClientOptionsValidator(sp.GetService<IServiceProviderIsService>()));

            services.AddHttpClient(RestHttpClientName).ConfigureHttpClient((sp, http) =>
                http.Timeout = sp.GetRequiredService<IOptions<TwistClientOptions>>().Value.RequestTimeout);
            services.TryAddSingleton(sp => new GrpcChannelHolder(
                sp.GetRequiredService<IOptions<TwistClientOptions>>(), sp.GetRequiredService<ILoggerFactory>()));
            services.TryAddSingleton<ITwistClient>(CreateClient);
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return builder;
    }

    private static TwistClient CreateClient(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<TwistClientOptions>>();
        var o = options.Value;
        ITwistCoordinator coordinator = o.Coordinator switch
        {
            TwistCoordinatorKind.Grpc => sp.GetRequiredService<GrpcChannelHolder>().Coordinator,
            TwistCoordinatorKind.Rest => new RestTwistCoordinator(
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(RestHttpClientName),
                o.Address!,
                o.ApiKey,
                sp.GetService<ILogger<RestTwistCoordinator>>()),
            _ => sp.GetService<ITwistCoordinator>() ?? throw new InvalidOperationException(
                $"{TwistClientOptions.SectionName}:Coordinator is Embedded but no ITwistCoordinator is registered. Call " +
                "services.AddTwistCoordinator(...) (package Twist.Coordinator), or set Coordinator to Grpc or Rest with an Address."),
        };

        return new TwistClient(coordinator, options, sp.GetRequiredService<ILogger<TwistClient>>());
    }

    /// <summary>Marks that <c>AddTwistClient</c> ran, so a second call only adds configuration.</summary>
    private sealed class TwistClientMarker;
}
