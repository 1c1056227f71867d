using System.Security.Claims;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>Reads roles from the standard role claim and from JWT <c>roles</c>/<c>role</c> claims.</summary>
internal static class TwistRoles
{
    private static readonly string[] RoleClaimTypes = [ClaimTypes.Role, "roles", "role"];

    public static bool HasAny(ClaimsPrincipal user, params string[] roles) =>
        user.Identity is { IsAuthenticated: true }
        && user.Claims.Any(c => Array.IndexOf(RoleClaimTypes, c.Type) >= 0
            && c.Value.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Any(v => roles.Contains(v, StringComparer.OrdinalIgnoreCase)));
}
