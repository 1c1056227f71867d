using System.Text;
using Microsoft.Extensions.Options;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>
/// Validates <see cref="TwistApiOptions"/> at start-up and reports every problem at once, naming the configuration key
/// (never a secret's value), so a misconfigured API fails before it takes traffic.
/// </summary>
internal sealed class TwistApiOptionsValidator : IValidateOptions<TwistApiOptions>
{
    public const int MinKeyLength = 16;
    public const int MinSigningKeyBytes = 32;
    private const string S = TwistApiOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TwistApiOptions options)
    {
        var errors = new List<string>();
        var jwt = options.Jwt ?? new TwistJwtOptions();
        if (options.ApiKeys.Count == 0 && !jwt.IsConfigured && !options.AllowAnonymous)
        {
            errors.Add(
                $"The Twist API has no authentication configured. Configure API keys ({S}:ApiKeys, e.g. the environment variables " +
                "Twist__Api__ApiKeys__0__Name, Twist__Api__ApiKeys__0__Key and Twist__Api__ApiKeys__0__Roles__0=caller) or JWT " +
                $"({S}:Jwt:Authority and {S}:Jwt:Audience). To run without authentication on a development machine, set {S}:AllowAnonymous=true explicitly.");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < options.ApiKeys.Count; i++)
        {
            var key = options.ApiKeys[i];
            var at = $"{S}:ApiKeys:{i}";
            if (key is null)
            {
                errors.Add($"{at} is empty.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(key.Name))
            {
                errors.Add($"{at}:Name is empty; name every key (the name is the actor in the audit log).");
            }
            else if (!names.Add(key.Name))
            {
                errors.Add($"{at}:Name '{key.Name}' is used by another key; names must be unique.");
            }

            if (string.IsNullOrEmpty(key.Key) || key.Key.Length < MinKeyLength)
            {
                errors.Add($"{at}:Key ('{key.Name}') is {key.Key?.Length ?? 0} characters; use at least {MinKeyLength} random characters (32 random bytes, base64, recommended).");
            }
            else if (!keys.Add(key.Key))
            {
                errors.Add($"{at}:Key ('{key.Name}') is the same as another key's; every key must be unique.");
            }

            foreach (var role in key.Roles)
            {
                if (!string.Equals(role?.Trim(), TwistApiRoles.Caller, StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(role?.Trim(), TwistApiRoles.Operator, StringComparison.OrdinalIgnoreCase))
                {
                    errors.Add($"{at}:Roles contains '{role}'; the roles are '{TwistApiRoles.Caller}' and '{TwistApiRoles.Operator}'.");
                }
            }
        }

        if (jwt.IsConfigured)
        {
            ValidateJwt(jwt, errors);
        }

        if (options.MaxRequestBodySize is < 1024 or > 16 * 1024 * 1024)
        {
            errors.Add($"{S}:MaxRequestBodySize is {options.MaxRequestBodySize}; it must be between 1024 and 16777216 bytes.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateJwt(TwistJwtOptions jwt, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(jwt.Audience))
        {
            errors.Add($"{S}:Jwt:Audience is empty; tokens are only accepted for a configured audience.");
        }

        var hasAuthority = !string.IsNullOrWhiteSpace(jwt.Authority);
        var hasKey = !string.IsNullOrEmpty(jwt.SigningKey);
        if (hasAuthority == hasKey)
        {
            errors.Add($"{S}:Jwt needs exactly one of Authority (OpenID Connect metadata) or SigningKey (symmetric); {(hasKey ? "both are" : "neither is")} set.");
        }

        if (hasAuthority)
        {
            if (!Uri.TryCreate(jwt.Authority, UriKind.Absolute, out var authority) || (authority.Scheme != Uri.UriSchemeHttps && authority.Scheme != Uri.UriSchemeHttp))
            {
                errors.Add($"{S}:Jwt:Authority '{jwt.Authority}' is not an absolute http(s) URI.");
            }
            else if (authority.Scheme == Uri.UriSchemeHttp && jwt.RequireHttpsMetadata)
            {
                errors.Add($"{S}:Jwt:Authority '{jwt.Authority}' is not HTTPS; use HTTPS, or set {S}:Jwt:RequireHttpsMetadata=false for development.");
            }
        }

        if (hasKey)
        {
            var bytes = Encoding.UTF8.GetByteCount(jwt.SigningKey!);
            if (bytes < MinSigningKeyBytes)
            {
                errors.Add($"{S}:Jwt:SigningKey is {bytes} bytes; use at least {MinSigningKeyBytes}.");
            }

            if (string.IsNullOrWhiteSpace(jwt.Issuer))
            {
                errors.Add($"{S}:Jwt:Issuer is empty; it is required with SigningKey.");
            }
        }
    }
}
