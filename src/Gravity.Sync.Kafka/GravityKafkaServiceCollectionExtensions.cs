using Gravity.Sync.Events;
using Gravity.Sync.Kafka;
using Gravity.Sync.Kafka.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Gravity Kafka publisher in applications that publish domain events without running the synchronizer.</summary>
public static class GravityKafkaServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="IGravityEventPublisher"/> produce domain events to the Kafka topic a Gravity synchronizer reads
    /// (<c>AddKafkaSource</c>): the JSON payload as the value, the event's id, name and trace context in headers, and
    /// the message keyed by the event's <c>Key</c> or its payload's <see cref="GravityKafkaOptions.KeyField"/> so each
    /// row's events share a partition. Options are bound from <c>Gravity:Kafka</c>, then <paramref name="configure"/> runs.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the cluster and topic.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <remarks>Safe to call more than once. It replaces an earlier <see cref="IGravityEventPublisher"/> (such as the embedded log's).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddGravityKafkaPublisher(this IServiceCollection services, Action<GravityKafkaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddGravityKafkaCore(services, configure);
        services.Replace(ServiceDescriptor.Singleton<IGravityEventPublisher>(sp => sp.GetRequiredService<KafkaGravityEventPublisher>()));
        return services;
    }

    internal static void AddGravityKafkaCore(IServiceCollection services, Action<GravityKafkaOptions>? configure)
    {
        var options = services.AddOptions<GravityKafkaOptions>();
        if (services.All(d => d.ServiceType != typeof(GravityKafkaMarker)))
        {
            // Configuration first, so code (configure, AddKafkaExporter) can override it.
            services.AddSingleton<GravityKafkaMarker>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<GravityKafkaOptions>, BindFromConfiguration>());
            options.ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GravityKafkaOptions>, GravityKafkaOptionsValidator>());
            services.TryAddSingleton<KafkaInstruments>();
            services.TryAddSingleton<KafkaClients>();
            services.TryAddSingleton<KafkaEventSource>();
            services.TryAddSingleton<KafkaGravityEventPublisher>();
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }
    }

    private sealed class GravityKafkaMarker;

    /// <summary>Binds the <c>Gravity:Kafka</c> section without reflection (configuration binding source generator).</summary>
    private sealed class BindFromConfiguration(IConfiguration? configuration = null) : IConfigureOptions<GravityKafkaOptions>
    {
        public void Configure(GravityKafkaOptions options)
        {
            var section = configuration?.GetSection(GravityKafkaOptions.SectionName);
            if (section is not null && section.Exists())
            {
                section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
            }
        }
    }
}
