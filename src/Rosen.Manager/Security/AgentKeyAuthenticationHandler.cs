using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Rosen.Manager.Configuration;
using Rosen.Manager.Diagnostics;

namespace Rosen.Manager.Security;

/// <summary>
/// Authenticates services by agent key (<c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Rosen-Key</c>), compared in
/// constant time. With no key configured every agent call is refused unless <c>AllowAnonymousAgents</c> is set.
/// </summary>
internal sealed class AgentKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IOptions<RosenManagerOptions> managerOptions) : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggerFactory, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey();
        if (presented is null)
        {
            return Task.FromResult(managerOptions.Value.AllowAnonymousAgents ? Success("anonymous") : AuthenticateResult.NoResult());
        }

        var presentedHash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        string? match = null;
        foreach (var key in managerOptions.Value.AgentKeys)
        {
            // Every key is compared, so the time taken does not tell which key (or how much of one) matched.
            if (CryptographicOperations.FixedTimeEquals(presentedHash, SHA256.HashData(Encoding.UTF8.GetBytes(key.Key))))
            {
                match ??= key.Name;
            }
        }

        if (match is null)
        {
            ManagerLog.AgentKeyRejected(Logger, Request.Path);
            return Task.FromResult(AuthenticateResult.Fail("The agent key matches no configured key."));
        }

        return Task.FromResult(Success(match));
    }

    private AuthenticateResult Success(string name)
    {
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, RosenRoles.Agent)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    private string? PresentedKey()
    {
        var header = Request.Headers["X-Rosen-Key"].ToString();
        if (header.Length > 0)
        {
            return header;
        }

        var authorization = Request.Headers.Authorization.ToString();
        return authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? authorization["Bearer ".Length..].Trim() : null;
    }
}
