using Microsoft.AspNetCore.Authorization;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>Requires any of <see cref="Roles"/>, read by <see cref="TwistRoles.HasAny"/>.</summary>
internal sealed class TwistRoleRequirement : AuthorizationHandler<TwistRoleRequirement>, IAuthorizationRequirement
{
    public TwistRoleRequirement(params string[] roles)
    {
        Roles = roles;
    }

    public string[] Roles { get; }

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, TwistRoleRequirement requirement)
    {
        if (TwistRoles.HasAny(context.User, requirement.Roles))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
