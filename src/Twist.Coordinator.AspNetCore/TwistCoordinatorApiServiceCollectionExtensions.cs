using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Twist.Coordinator.AspNetCore;
using Twist.Coordinator.AspNetCore.Internal;
using Twist.Coordinator.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Twist coordinator's HTTP/gRPC API services: options, authentication, authorization and gRPC.</summary>
public static class TwistCoordinatorApiServiceCollectionExtensions
{
    /// <summary>
    /// Registers what <c>MapTwistCoordinator()</c> needs: <see cref="TwistApiOptions"/> bound from the
    /// <c>Twist:Api</c> configuration section (then <paramref name="configure"/>) and validated at start-up; the API key
    /// and JWT bearer authentication schemes behind the <see cref="TwistApiDefaults.AuthenticationScheme"/> policy
    /// scheme; the caller and operator authorization policies; gRPC; and problem+json answers for authentication
    /// failures and unhandled exceptions.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the options after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The service collection, for chaining.</returns>
    /// <remarks>
    /// Safe to call more than once: services are added once; each <paramref name="configure"/> is applied. The
    /// coordinator itself is registered by <c>AddTwistCoordinator()</c>. The host refuses to start when no API key and
    /// no JWT are configured, unless <see cref="TwistApiOptions.AllowAnonymous"/> is set.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddTwistCoordinatorApi(this IServiceCollection services, Action<TwistApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(TwistApiMarkerService)))
        {
            AddCore(services);
        }

        // Registered after the configuration binding, so code wins over configuration.
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return services;
    }

    private static void AddCore(IServiceCollection services)
    {
        services.AddSingleton<TwistApiMarkerService>();
        services.AddOptions<TwistApiOptions>()
            .BindConfiguration(TwistApiOptions.SectionName, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TwistApiOptions>, TwistApiOptionsValidator>());
        services.TryAddSingleton<ApiKeyStore>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(TwistApiDefaults.ApiKeyScheme, "Twist API key", static _ => { })
            .AddJwtBearer(TwistApiDefaults.JwtBearerScheme, static _ => { })
            .AddPolicyScheme(TwistApiDefaults.AuthenticationScheme, "Twist API", options => options.ForwardDefaultSelector = SelectScheme);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<JwtBearerOptions>, ConfigureTwistJwtBearer>());

        services.AddAuthorization(options =>
        {
            options.AddPolicy(TwistApiDefaults.CallerPolicy, policy => policy
                .AddAuthenticationSchemes(TwistApiDefaults.AuthenticationScheme)
                .AddRequirements(new TwistRoleRequirement(TwistApiRoles.Caller, TwistApiRoles.Operator)));
            options.AddPolicy(TwistApiDefaults.OperatorPolicy, policy => policy
                .AddAuthenticationSchemes(TwistApiDefaults.AuthenticationScheme)
                .AddRequirements(new TwistRoleRequirement(TwistApiRoles.Operator)));
        });

        // 401/403 on the Twist REST endpoints become problem+json; other endpoints keep the default behaviour. An
        // application that registered its own handler keeps it.
        var existing = services.LastOrDefault(d => d.ServiceType == typeof(IAuthorizationMiddlewareResultHandler));
        if (existing is null || existing.ImplementationType == typeof(AuthorizationMiddlewareResultHandler))
        {
            services.RemoveAll<IAuthorizationMiddlewareResultHandler>();
            services.AddSingleton<IAuthorizationMiddlewareResultHandler, TwistAuthorizationResultHandler>();
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IExceptionHandler, TwistExceptionHandler>());
        services.AddGrpc();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<GrpcServiceOptions<TwistCoordinatorGrpcService>>, ConfigureTwistGrpcService>());
    }

    /// <summary>Adds the coordinator's HTTP/gRPC API services to a coordinator registered with <c>AddTwistCoordinator()</c>.</summary>
    /// <param name="builder">The coordinator builder.</param>
    /// <param name="configure">Configures the options after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The coordinator builder, for chaining.</returns>
    /// <remarks>See <see cref="AddTwistCoordinatorApi(IServiceCollection, Action{TwistApiOptions}?)"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static ITwistCoordinatorBuilder AddTwistCoordinatorApi(this ITwistCoordinatorBuilder builder, Action<TwistApiOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddTwistCoordinatorApi(configure);
        return builder;
    }

    private static string SelectScheme(Microsoft.AspNetCore.Http.HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization;
        if (authorization.Count == 1 && authorization[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            && context.RequestServices.GetRequiredService<IOptions<TwistApiOptions>>().Value.Jwt.IsConfigured)
        {
            return TwistApiDefaults.JwtBearerScheme;
        }

        return TwistApiDefaults.ApiKeyScheme;
    }
}
