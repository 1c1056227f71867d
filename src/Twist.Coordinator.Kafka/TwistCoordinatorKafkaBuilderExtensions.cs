using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Kafka;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Kafka output of the coordinator's transaction events.</summary>
public static class TwistCoordinatorKafkaBuilderExtensions
{
    /// <summary>
    /// Publishes every transaction lifecycle event (begun, participant registered, decided, each participant's outcome,
    /// completed) to a Kafka topic (default <c>twist.transactions</c>) as JSON, keyed by transaction id so each
    /// transaction's events stay in order, with <c>traceparent</c>, <c>tracestate</c>, <c>baggage</c>,
    /// <c>Twist-Transaction-ID</c>, <c>Twist-Event</c> and <c>Twist-Event-ID</c> headers.
    /// </summary>
    /// <param name="builder">The coordinator builder returned by <c>AddTwistCoordinator</c>.</param>
    /// <param name="configure">Configures the cluster, topic and credentials.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// Publishing never slows or fails a transaction: events are queued in memory and published by a background
    /// dispatcher with retries (<c>ConfigureTransactionEvents</c>); the idempotent producer rides out broker outages up
    /// to <see cref="KafkaEventOutputOptions.DeliveryTimeout"/> per event without reordering or duplicating. Delivery is
    /// <b>at most once across a coordinator crash</b> (queued events are lost with the process), and an event that
    /// cannot be published is dropped with a warning log (event id 1300) and the
    /// <c>twist.coordinator.events.dropped</c> metric.
    /// </para>
    /// <para>Safe to call more than once: the output is added once and each <paramref name="configure"/> is applied.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static ITwistCoordinatorBuilder AddKafkaEventOutput(this ITwistCoordinatorBuilder builder, Action<KafkaEventOutputOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<KafkaEventOutputOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(KafkaEventOutputMarker)))
        {
            return builder;
        }

        services.AddSingleton<KafkaEventOutputMarker>();
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaEventOutputOptions>, KafkaEventOutputOptionsValidator>());
        return builder.AddTransactionEventSink<KafkaTransactionEventSink>();
    }

    private sealed class KafkaEventOutputMarker;
}
