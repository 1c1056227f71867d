using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Twist.Participants;
using Twist.Participants.Diagnostics;
using Twist.Participants.Endpoints;
using Twist.Participants.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds Twist TCC participants (the participant runtime) to a service collection.</summary>
public static class TwistParticipantServiceCollectionExtensions
{
    private const string DefaultRoutePrefix = "/twist/participants/";

    /// <summary>
    /// Registers one participant: its class as a scoped service (unless already registered) and its handlers, which
    /// <c>MapTwistParticipants()</c> exposes behind the guard. The source generator emits one call per
    /// <see cref="TccParticipantAttribute"/> class in <c>AddTwistParticipants()</c>; call it yourself for a hand-written
    /// registration.
    /// </summary>
    /// <typeparam name="TParticipant">The participant class.</typeparam>
    /// <typeparam name="TRequest">The Try request body type.</typeparam>
    /// <typeparam name="TResult">The Try result type, or <see cref="NoResult"/>.</typeparam>
    /// <param name="services">The service collection.</param>
    /// <param name="registration">The participant's name, route and handlers.</param>
    /// <returns>A builder to configure the participant runtime, e.g. its guard database.</returns>
    /// <remarks>
    /// Also adds the runtime once (options from <c>Twist:Participant</c>, validated at start-up; the guard; the expiry
    /// sweeper). Registering the same participant twice is a no-op, so the generated method may be called more than once.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="registration"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The name or route is malformed.</exception>
    /// <exception cref="InvalidOperationException">Another participant has the same name or route.</exception>
    public static ITwistParticipantBuilder AddTwistParticipant<
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TParticipant, TRequest, TResult>(
        this IServiceCollection services, TccParticipantRegistration<TParticipant, TRequest, TResult> registration)
        where TParticipant : class
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registration);
        ArgumentNullException.ThrowIfNull(registration.TryHandler);
        ArgumentNullException.ThrowIfNull(registration.ConfirmHandler);
        ArgumentNullException.ThrowIfNull(registration.CancelHandler);
        CheckName(registration.Name);
        var descriptor = new ParticipantDescriptor<TParticipant, TRequest, TResult>(registration, RouteOf(registration.Name, registration.Route));

        foreach (var existing in services.Where(d => d.ServiceType == typeof(ParticipantDescriptor)).Select(d => d.ImplementationInstance).OfType<ParticipantDescriptor>())
        {
            if (existing.IsSameAs(descriptor))
            {
                return AddCore(services);
            }

            if (existing.Name == descriptor.Name)
            {
                throw new InvalidOperationException(
                    $"Two Twist participants are named '{descriptor.Name}': {existing.ParticipantType} and {descriptor.ParticipantType}. " +
                    "Participant names appear in routes and guard rows and must be unique in a service; rename one in its [TccParticipant(\"...\")].");
            }

            if (string.Equals(existing.Route, descriptor.Route, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"Twist participants '{existing.Name}' and '{descriptor.Name}' both use the route '{descriptor.Route}'; give one another Route.");
            }
        }

        services.TryAddScoped<TParticipant>();
        services.AddSingleton<ParticipantDescriptor>(descriptor);
        return AddCore(services);
    }

    /// <summary>
    /// Adds the participant runtime's options, bound from the <c>Twist:Participant</c> configuration section and validated
    /// at start-up, and returns the builder to configure the guard.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>A builder to configure the participant runtime.</returns>
    /// <remarks>Safe to call multiple times, before or after the participants are added.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static ITwistParticipantBuilder AddTwistParticipantOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(services);
    }

    /// <inheritdoc cref="AddTwistParticipantOptions(IServiceCollection)"/>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options, after the configuration section was applied.</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is <see langword="null"/>.</exception>
    public static ITwistParticipantBuilder AddTwistParticipantOptions(this IServiceCollection services, Action<TwistParticipantOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var builder = AddCore(services);
        services.Configure(configure);
        return builder;
    }

    private static TwistParticipantBuilder AddCore(IServiceCollection services)
    {
        var builder = new TwistParticipantBuilder(services);
        if (services.Any(d => d.ServiceType == typeof(TwistParticipantMarker)))
        {
            return builder;
        }

        services.AddSingleton<TwistParticipantMarker>();

        // Configuration first, so that code given to AddTwistParticipantOptions overrides it.
        services.AddSingleton<IConfigureOptions<TwistParticipantOptions>>(sp => new ConfigureParticipantFromConfiguration(sp.GetService<IConfiguration>()));
        services.AddOptions<TwistParticipantOptions>().ValidateOnStart();
        services.AddSingleton<IValidateOptions<TwistParticipantOptions>>(sp => new TwistParticipantOptionsValidator(
            sp.GetService<IServiceProviderIsService>()?.IsService(typeof(GuardConnectionSource)) ?? false));

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton<ParticipantInstruments>();
        services.TryAddSingleton<GuardFactory>();
        services.TryAddScoped<ITccGuard>(sp => sp.GetRequiredService<GuardFactory>().Create(sp));
        services.TryAddSingleton<CoordinatorAuthenticator>();
        services.TryAddSingleton<ParticipantPhaseRunner>();
        services.TryAddSingleton<ParticipantEndpointHandler>();

        // For grpc:// links: MapTwistParticipants maps the twist.v1.Participant service unless EnableGrpc is off.
        services.AddGrpc();

        // The initializer creates the guard table before the sweeper's first pass needs it (hosted services start in order).
        services.AddHostedService<GuardInitializer>();
        services.AddHostedService<GuardSweeper>();
        return builder;
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new ArgumentException(
                $"The participant name '{name}' is not valid: use 1-64 characters of letters, digits, '-' or '_' (it appears in routes and guard rows).",
                nameof(name));
        }
    }

    private static string RouteOf(string name, string? route)
    {
        if (route is null)
        {
            return DefaultRoutePrefix + name;
        }

        var trimmed = route.TrimEnd('/');
        if (!trimmed.StartsWith('/') || trimmed.Length < 2 || trimmed.Contains('{', StringComparison.Ordinal) || trimmed.Contains('?', StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The route '{route}' of participant '{name}' is not valid: use an absolute path without parameters, e.g. \"/wallet/debits\".",
                nameof(route));
        }

        return trimmed;
    }

    /// <summary>Marks that the runtime was added, so later calls only add participants or configuration.</summary>
    private sealed class TwistParticipantMarker;
}
