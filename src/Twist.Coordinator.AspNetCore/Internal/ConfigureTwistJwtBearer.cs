using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>Configures the <see cref="TwistApiDefaults.JwtBearerScheme"/> scheme from <see cref="TwistApiOptions.Jwt"/>.</summary>
internal sealed class ConfigureTwistJwtBearer : IConfigureNamedOptions<JwtBearerOptions>
{
    private readonly IOptions<TwistApiOptions> apiOptions;
    private readonly ILoggerFactory loggerFactory;

    public ConfigureTwistJwtBearer(IOptions<TwistApiOptions> apiOptions, ILoggerFactory loggerFactory)
    {
        this.apiOptions = apiOptions;
        this.loggerFactory = loggerFactory;
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);

    public void Configure(string? name, JwtBearerOptions options)
    {
        if (name != TwistApiDefaults.JwtBearerScheme)
        {
            return;
        }

        var jwt = apiOptions.Value.Jwt;
        if (!jwt.IsConfigured)
        {
            return;
        }

        options.Authority = string.IsNullOrWhiteSpace(jwt.Authority) ? null : jwt.Authority;
        options.Audience = jwt.Audience;
        options.RequireHttpsMetadata = jwt.RequireHttpsMetadata;

        // Keep the token's claim names ("roles", "role", "name", "sub") instead of the legacy SOAP URIs.
        options.MapInboundClaims = false;
        var validation = options.TokenValidationParameters;
        validation.NameClaimType = "name";
        validation.RoleClaimType = "roles";
        validation.ValidAudience = jwt.Audience;
        validation.ValidateAudience = true;
        validation.ValidateLifetime = true;
        validation.ClockSkew = TimeSpan.FromSeconds(30);
        if (!string.IsNullOrWhiteSpace(jwt.Issuer))
        {
            validation.ValidIssuer = jwt.Issuer;
            validation.ValidateIssuer = true;
        }

        if (!string.IsNullOrEmpty(jwt.SigningKey))
        {
            validation.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.SigningKey));
            validation.ValidateIssuerSigningKey = true;
            validation.ValidAlgorithms = [SecurityAlgorithms.HmacSha256, SecurityAlgorithms.HmacSha384, SecurityAlgorithms.HmacSha512];
        }

        var logger = loggerFactory.CreateLogger("Twist.Coordinator.AspNetCore");
        options.Events = new JwtBearerEvents
        {
            OnAuthenticationFailed = context =>
            {
                // The exception text names the failed check (lifetime, audience, signature); IdentityModel keeps PII out.
                var reason = context.Exception.GetType().Name;
                Log.JwtRejected(logger, context.Request.Path.Value ?? string.Empty, reason);
                return Task.CompletedTask;
            },
        };
    }
}
