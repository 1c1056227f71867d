using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist;
using Twist.Coordinator.Compat;
using Twist.Coordinator.Diagnostics;
using Twist.Coordinator.Dispatch;
using Twist.Coordinator.Engine;
using Twist.Coordinator.Events;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Hosting.Workers;
using Twist.Coordinator.Operations;
using Twist.Coordinator.Security;
using Twist.Coordinator.Storage;
using Twist.Coordinator.Storage.Sqlite;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Twist coordinator in an app.</summary>
public static class TwistCoordinatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the embedded Twist coordinator: <see cref="ITwistCoordinator"/> (in-process, no network hop),
    /// <see cref="ITwistOperator"/>, <see cref="ITwistTaskRegistry"/>, and the hosted workers that time transactions
    /// out, recover decided ones after a restart and purge finished ones.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options, e.g. <c>o =&gt; o.UseSqlite("twist.db")</c>.</param>
    /// <returns>A builder for chaining further coordinator features.</returns>
    /// <remarks>Safe to call more than once: services are added once and each <paramref name="configure"/> is applied.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static ITwistCoordinatorBuilder AddTwistCoordinator(this IServiceCollection services, Action<TwistCoordinatorOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<TwistCoordinatorOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        if (services.Any(d => d.ServiceType == typeof(TwistCoordinatorMarker)))
        {
            return new TwistCoordinatorBuilder(services);
        }

        services.AddSingleton<TwistCoordinatorMarker>();
        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwistCoordinatorOptions>, TwistCoordinatorOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddLogging();

        services.TryAddSingleton<ITransactionStore>(CreateStore);
        services.TryAddSingleton<InstanceLease>();
        services.TryAddSingleton<StoreAccessor>();
        services.TryAddSingleton<ParticipantEndpoints>();
        services.TryAddSingleton<CoordinatorInstruments>();
        services.TryAddSingleton<ParticipantLinkPolicy>();
        services.TryAddSingleton<ParticipantCredentials>();
        services.TryAddSingleton<RequestValidator>();
        AddParticipantHttpClient(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IParticipantTransport, HttpParticipantTransport>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IParticipantTransport, GrpcParticipantTransport>());
        services.TryAddSingleton<TransactionEventInstruments>();
        services.TryAddSingleton<TransactionEventPublisher>();
        services.TryAddSingleton<TransactionEventSinkTelemetry>();
        services.TryAddSingleton<TransactionDriver>();
        services.TryAddSingleton<EmbeddedCoordinator>();
        services.TryAddSingleton<ITwistCoordinator>(sp => sp.GetRequiredService<EmbeddedCoordinator>());
        services.TryAddSingleton<ITwistOperator, TwistOperator>();
        services.TryAddSingleton<ITwistTaskRegistry, TaskRegistry>();
        services.TryAddSingleton<ICoordinatorReadiness, CoordinatorReadiness>();

        // Start order matters: the store opens before the sweepers run; stop runs in reverse, so deliveries are
        // allowed to record their outcomes after the sweepers have stopped. The event dispatcher comes first so it stops
        // last and still publishes what those final deliveries announce (it does nothing when no sink is registered).
        // The lease worker stops after the deliveries have been recorded, then releases the lease (clusters only).
        services.AddHostedService<TransactionEventDispatcher>();
        services.AddHostedService<InstanceLeaseWorker>();
        services.AddHostedService<CoordinatorLifetime>();
        services.AddHostedService<TimeoutSweeper>();
        services.AddHostedService<RecoveryWorker>();
        services.AddHostedService<RetentionWorker>();
        return new TwistCoordinatorBuilder(services);
    }

    private static ITransactionStore CreateStore(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<TwistCoordinatorOptions>>().Value;
        return options.StoreFactory?.Invoke(sp)
            ?? new SqliteTransactionStore(options.SqlitePath, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SqliteTransactionStore>>());
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "The named HttpClient uses no reflection-based configuration.")]
    private static void AddParticipantHttpClient(IServiceCollection services)
    {
        services.AddHttpClient(HttpParticipantTransport.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                ConnectCallback = GuardedConnectCallback.ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                AllowAutoRedirect = false, // a redirect could lead around the host allow-list
                MaxConnectionsPerServer = 256,
                EnableMultipleHttp2Connections = true,

                // No HttpClient span nested in the driver's participant span; the transports propagate its context.
                // See ParticipantCallTracing.
                ActivityHeadersPropagator = null,
            })
            .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan); // per-call timeouts are the transport's
    }

    private sealed class TwistCoordinatorMarker;
}
