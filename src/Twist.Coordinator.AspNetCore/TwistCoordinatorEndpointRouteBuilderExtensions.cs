using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Twist;
using Twist.Coordinator.AspNetCore;
using Twist.Coordinator.AspNetCore.Internal;
using Twist.Coordinator.Compat;
using Twist.Coordinator.Operations;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Twist coordinator's REST API, operator API and gRPC service.</summary>
public static class TwistCoordinatorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the caller REST API under <c>/api/v1</c> (transactions, and the Brobridge v1 compat routes and task store),
    /// the operator API under <c>/api/v1/admin</c>, the <c>twist.v1.Coordinator</c> gRPC service, and a problem+json
    /// 404/405 for any other path under <c>/api</c>. Caller routes require the <c>caller</c> role, operator routes the
    /// <c>operator</c> role, unless <see cref="TwistApiOptions.AllowAnonymous"/> is set.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder (usually the <c>WebApplication</c>).</param>
    /// <returns>A builder for conventions that apply to every Twist endpoint (for example <c>RequireHost</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// <c>AddTwistCoordinatorApi()</c> or <c>AddTwistCoordinator()</c> was not called.
    /// </exception>
    /// <exception cref="OptionsValidationException">The <c>Twist:Api</c> options are invalid (for example no authentication configured).</exception>
    public static IEndpointConventionBuilder MapTwistCoordinator(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var services = endpoints.ServiceProvider;
        if (services.GetService<TwistApiMarkerService>() is null)
        {
            throw new InvalidOperationException(
                "MapTwistCoordinator() needs the API services: call builder.Services.AddTwistCoordinatorApi() when configuring services.");
        }

        // Reading the options here validates them, so a misconfigured API fails before the host listens.
        var options = services.GetRequiredService<IOptions<TwistApiOptions>>().Value;
        var isService = services.GetRequiredService<IServiceProviderIsService>();
        var needed = new List<Type> { typeof(ITwistCoordinator) };
        if (options.EnableOperatorApi)
        {
            needed.Add(typeof(ITwistOperator));
        }

        if (options.EnableCompatRoutes)
        {
            needed.Add(typeof(ITwistTaskRegistry));
        }

        var missing = needed.Where(t => !isService.IsService(t)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidOperationException(
                $"MapTwistCoordinator() needs the coordinator: call builder.Services.AddTwistCoordinator(...) (missing {string.Join(", ", missing.Select(t => t.Name))}).");
        }

        var api = new TwistApiEndpoints(services);
        if (options.AllowAnonymous)
        {
            Log.AnonymousAccessEnabled(api.Logger);
        }

        var group = endpoints.MapGroup(string.Empty);
        api.Map(group);
        if (options.EnableGrpc)
        {
            var grpc = group.MapGrpcService<TwistCoordinatorGrpcService>();
            if (!options.AllowAnonymous)
            {
                grpc.RequireAuthorization(TwistApiDefaults.CallerPolicy);
            }
        }

        var keyCount = services.GetRequiredService<ApiKeyStore>().Count;
        Log.ApiMapped(api.Logger, TwistApiDefaults.RoutePrefix, options.EnableGrpc, options.EnableOperatorApi, options.EnableCompatRoutes, keyCount, options.Jwt.IsConfigured);

        return group;
    }
}
