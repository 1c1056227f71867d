using Gravity.Sync.Events;
using Gravity.Sync.Nats;
using Gravity.Sync.Nats.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Gravity JetStream publisher in applications that publish domain events without running the synchronizer.</summary>
public static class GravityNatsServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="IGravityEventPublisher"/> publish domain events into the JetStream stream a Gravity
    /// synchronizer reads (<c>AddNatsJetStreamSource</c>): subject <c>&lt;prefix&gt;.&lt;event&gt;</c>, the JSON
    /// payload as the body, the event id as <c>Nats-Msg-Id</c> (repeats are stored once) and the caller's trace context
    /// in <c>traceparent</c>. Options are bound from <c>Gravity:Nats</c>, then <paramref name="configure"/> runs.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the connection and stream.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <remarks>Safe to call more than once. It replaces an earlier <see cref="IGravityEventPublisher"/> (such as the embedded log's).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddGravityNatsPublisher(this IServiceCollection services, Action<GravityNatsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddGravityNatsCore(services, configure);
        services.Replace(ServiceDescriptor.Singleton<IGravityEventPublisher>(sp => sp.GetRequiredService<NatsGravityEventPublisher>()));
        return services;
    }

    internal static void AddGravityNatsCore(IServiceCollection services, Action<GravityNatsOptions>? configure)
    {
        var options = services.AddOptions<GravityNatsOptions>();
        if (services.All(d => d.ServiceType != typeof(GravityNatsMarker)))
        {
            // Configuration first, so code (configure, AddNatsExporter) can override it.
            services.AddSingleton<GravityNatsMarker>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<GravityNatsOptions>, BindFromConfiguration>());
            options.ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GravityNatsOptions>, GravityNatsOptionsValidator>());
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<NatsInstruments>();
            services.TryAddSingleton<NatsConnections>();
            services.TryAddSingleton<NatsJetStreamEventSource>();
            services.TryAddSingleton<NatsSharedSource>();
            services.TryAddSingleton<NatsGravityEventPublisher>();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }
    }

    private sealed class GravityNatsMarker;

    /// <summary>Binds the <c>Gravity:Nats</c> section without reflection (configuration binding source generator).</summary>
    private sealed class BindFromConfiguration(IConfiguration? configuration = null) : IConfigureOptions<GravityNatsOptions>
    {
        public void Configure(GravityNatsOptions options)
        {
            var section = configuration?.GetSection(GravityNatsOptions.SectionName);
            if (section is not null && section.Exists())
            {
                section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            }
        }
    }
}
