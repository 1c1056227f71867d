using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Twist.Errors;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>
/// Answers 401 and 403 on the Twist REST endpoints with problem+json (after the scheme's challenge has set
/// <c>WWW-Authenticate</c>); every other endpoint, gRPC included, gets the default behaviour.
/// </summary>
internal sealed class TwistAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Succeeded || context.GetEndpoint()?.Metadata.GetMetadata<TwistApiEndpointMetadata>() is null)
        {
            await fallback.HandleAsync(next, context, policy, authorizeResult).ConfigureAwait(false);
            return;
        }

        if (authorizeResult.Challenged)
        {
            await context.ChallengeAsync(TwistApiDefaults.AuthenticationScheme).ConfigureAwait(false);
            await Problems.WriteAsync(context, Problems.Create(
                StatusCodes.Status401Unauthorized,
                TwistErrorCodes.Unauthorized,
                "Authenticate with an API key (Authorization: ApiKey <key> or X-Api-Key: <key>) or a bearer token.")).ConfigureAwait(false);
            return;
        }

        await context.ForbidAsync(TwistApiDefaults.AuthenticationScheme).ConfigureAwait(false);
        var required = policy.Requirements.OfType<TwistRoleRequirement>().FirstOrDefault()?.Roles ?? [];
        await Problems.WriteAsync(context, Problems.Create(
            StatusCodes.Status403Forbidden,
            TwistErrorCodes.Forbidden,
            $"'{TwistApiEndpoints.Actor(context.User)}' lacks the role this operation needs ({string.Join(" or ", required)}).")).ConfigureAwait(false);
    }
}
