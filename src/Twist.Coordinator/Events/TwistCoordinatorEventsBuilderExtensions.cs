using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Events;
using Twist.Coordinator.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds transaction event output (<see cref="ITransactionEventSink"/>) to the Twist coordinator.</summary>
public static class TwistCoordinatorEventsBuilderExtensions
{
    /// <summary>
    /// Adds a sink that receives every <see cref="TransactionEvent"/> (begun, participant registered, decided, each
    /// participant's outcome, completed). See <see cref="ITransactionEventSink"/> for the delivery guarantees: off the
    /// transaction path, in order, retried, and at most once across a coordinator crash.
    /// </summary>
    /// <typeparam name="TSink">The sink type, created once (singleton) by the service provider.</typeparam>
    /// <param name="builder">The coordinator builder returned by <c>AddTwistCoordinator</c>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>Safe to call more than once with the same type: it is added once.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static ITwistCoordinatorBuilder AddTransactionEventSink<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TSink>(
        this ITwistCoordinatorBuilder builder)
        where TSink : class, ITransactionEventSink
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ITransactionEventSink, TSink>());
        return AddCore(builder);
    }

    /// <inheritdoc cref="AddTransactionEventSink{TSink}(ITwistCoordinatorBuilder)"/>
    /// <param name="builder">The coordinator builder returned by <c>AddTwistCoordinator</c>.</param>
    /// <param name="factory">Creates the sink, once (singleton).</param>
    /// <remarks>Each call adds another sink.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="factory"/> is null.</exception>
    public static ITwistCoordinatorBuilder AddTransactionEventSink(this ITwistCoordinatorBuilder builder, Func<IServiceProvider, ITransactionEventSink> factory)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(factory);
        builder.Services.AddSingleton(factory);
        return AddCore(builder);
    }

    /// <summary>Configures how events are queued and retried (<see cref="TransactionEventOptions"/>).</summary>
    /// <param name="builder">The coordinator builder returned by <c>AddTwistCoordinator</c>.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="configure"/> is null.</exception>
    public static ITwistCoordinatorBuilder ConfigureTransactionEvents(this ITwistCoordinatorBuilder builder, Action<TransactionEventOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure(configure);
        return AddCore(builder);
    }

    /// <summary>The event services themselves are registered by <c>AddTwistCoordinator</c>; this adds validation.</summary>
    private static ITwistCoordinatorBuilder AddCore(ITwistCoordinatorBuilder builder)
    {
        builder.Services.AddOptions<TransactionEventOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TransactionEventOptions>, TransactionEventOptionsValidator>());
        return builder;
    }
}
