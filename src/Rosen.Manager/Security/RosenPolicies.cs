using Microsoft.AspNetCore.Authorization;

namespace Rosen.Manager.Security;

/// <summary>The authorization policies: people by role (cookie login), services by agent key.</summary>
public static class RosenPolicies
{
    public const string Viewer = "RosenViewer";
    public const string Operator = "RosenOperator";
    public const string Admin = "RosenAdmin";
    public const string Agent = "RosenAgent";

    internal static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Viewer, p => p.AddAuthenticationSchemes(RosenSchemes.Cookie).RequireRole(RosenRoles.Viewer, RosenRoles.Operator, RosenRoles.Admin));
        options.AddPolicy(Operator, p => p.AddAuthenticationSchemes(RosenSchemes.Cookie).RequireRole(RosenRoles.Operator, RosenRoles.Admin));
        options.AddPolicy(Admin, p => p.AddAuthenticationSchemes(RosenSchemes.Cookie).RequireRole(RosenRoles.Admin));
        options.AddPolicy(Agent, p => p.AddAuthenticationSchemes(RosenSchemes.Agent).RequireRole(RosenRoles.Agent));
    }
}

/// <summary>The authentication scheme names.</summary>
public static class RosenSchemes
{
    public const string Cookie = "RosenCookie";
    public const string Agent = "RosenAgentKey";
}
