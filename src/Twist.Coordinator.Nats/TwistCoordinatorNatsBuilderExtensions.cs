using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Nats;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds NATS output of the coordinator's transaction events.</summary>
public static class TwistCoordinatorNatsBuilderExtensions
{
    /// <summary>
    /// Publishes every transaction lifecycle event (begun, participant registered, decided, each participant's outcome,
    /// completed) to NATS as JSON on <c>twist.transaction.&lt;id&gt;.eventEmitted</c>, with <c>traceparent</c>,
    /// <c>tracestate</c>, <c>Twist-Transaction-ID</c> and <c>Twist-Event</c> headers; optionally into a JetStream stream.
    /// </summary>
    /// <param name="builder">The coordinator builder returned by <c>AddTwistCoordinator</c>.</param>
    /// <param name="configure">Configures the connection, subjects and JetStream use.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// Publishing never slows or fails a transaction: events are queued in memory and published by a background
    /// dispatcher with retries (<c>ConfigureTransactionEvents</c>). Delivery is <b>at most once across a coordinator
    /// crash</b> (queued events are lost with the process; a durable outbox is future work), and an event that cannot
    /// be published is dropped with a warning log (event id 1300) and the <c>twist.coordinator.events.dropped</c> metric.
    /// </para>
    /// <para>Safe to call more than once: the output is added once and each <paramref name="configure"/> is applied.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static ITwistCoordinatorBuilder AddNatsEventOutput(this ITwistCoordinatorBuilder builder, Action<NatsEventOutputOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        var options = services.AddOptions<NatsEventOutputOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(NatsEventOutputMarker)))
        {
            return builder;
        }

        services.AddSingleton<NatsEventOutputMarker>();
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NatsEventOutputOptions>, NatsEventOutputOptionsValidator>());
        return builder.AddTransactionEventSink<NatsTransactionEventSink>();
    }

    private sealed class NatsEventOutputMarker;
}
