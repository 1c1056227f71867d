using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>
/// Authenticates <c>Authorization: ApiKey &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c> against
/// <see cref="TwistApiOptions.ApiKeys"/>. The principal's name is the key's name; its roles are the key's roles
/// (<c>operator</c> implies <c>caller</c>). Keys are never logged.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler : AuthenticationHandler<AuthenticationSchemeOptions>
{
    public const string HeaderName = "X-Api-Key";
    public const string AuthorizationScheme = "ApiKey";

    private readonly ApiKeyStore store;

    public ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore store)
        : base(options, logger, encoder)
    {
        this.store = store;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? presented = null;
        var authorization = Request.Headers.Authorization;
        if (authorization.Count == 1 && authorization[0] is { } value
            && value.StartsWith(AuthorizationScheme + " ", StringComparison.OrdinalIgnoreCase))
        {
            presented = value[(AuthorizationScheme.Length + 1)..].Trim();
        }
        else if (Request.Headers.TryGetValue(HeaderName, out var header))
        {
            if (header.Count != 1)
            {
                return Task.FromResult(AuthenticateResult.Fail($"Send exactly one {HeaderName} header."));
            }

            presented = header[0]?.Trim();
        }

        if (string.IsNullOrEmpty(presented))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = store.Find(presented);
        if (key is null)
        {
            Log.ApiKeyRejected(Logger, Request.Path.Value ?? string.Empty);
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var claims = new List<Claim> { new(ClaimTypes.Name, key.Name), new(ClaimTypes.NameIdentifier, key.Name) };
        var roles = new HashSet<string>(key.Roles.Select(r => r.Trim().ToLowerInvariant()).Where(r => r.Length > 0), StringComparer.Ordinal);
        if (roles.Count == 0 || roles.Contains(TwistApiRoles.Operator))
        {
            roles.Add(TwistApiRoles.Caller);
        }

        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));

        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme.Name));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 401;
        Response.Headers.WWWAuthenticate = AuthorizationScheme;
        return Task.CompletedTask;
    }
}
