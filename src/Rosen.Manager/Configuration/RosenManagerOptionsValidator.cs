using Microsoft.Extensions.Options;
using Rosen.Manager.Security;

namespace Rosen.Manager.Configuration;

/// <summary>Fails start-up with every configuration problem, naming the key to fix. Secrets are never echoed.</summary>
internal sealed class RosenManagerOptionsValidator : IValidateOptions<RosenManagerOptions>
{
    private const string S = RosenManagerOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, RosenManagerOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{S}:DataDirectory is empty.");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(options.PostgreSqlSchema ?? string.Empty, "^[A-Za-z_][A-Za-z0-9_]{0,62}$"))
        {
            errors.Add($"{S}:PostgreSqlSchema '{options.PostgreSqlSchema}' must be a plain identifier (letters, digits, underscore).");
        }

        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            if (string.IsNullOrWhiteSpace(user.Name) || user.Name.Length > 100)
            {
                errors.Add($"{S}:Users:{i}:Name is empty or longer than 100 characters.");
            }
            else if (!names.Add(user.Name))
            {
                errors.Add($"{S}:Users:{i}:Name '{user.Name}' is listed twice.");
            }

            if (!PasswordHashes.LooksValid(user.PasswordHash))
            {
                errors.Add($"{S}:Users:{i}:PasswordHash is not an ASP.NET Core Identity (v3, PBKDF2) hash; make one with `Rosen.Manager hash-password`. Plain-text passwords are not accepted.");
            }

            if (!RosenRoles.IsKnown(user.Role))
            {
                errors.Add($"{S}:Users:{i}:Role is '{user.Role}'; use viewer, operator or admin.");
            }
        }

        for (var i = 0; i < options.AgentKeys.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(options.AgentKeys[i].Name))
            {
                errors.Add($"{S}:AgentKeys:{i}:Name is empty.");
            }

            if (options.AgentKeys[i].Key.Length < 16)
            {
                errors.Add($"{S}:AgentKeys:{i}:Key is shorter than 16 characters.");
            }
        }

        for (var i = 0; i < options.Coordinators.Count; i++)
        {
            var c = options.Coordinators[i];
            CheckEndpoint(errors, $"{S}:Coordinators:{i}", c.Name, c.Address, c.ApiKey);
        }

        for (var i = 0; i < options.Synchronizers.Count; i++)
        {
            var s = options.Synchronizers[i];
            CheckEndpoint(errors, $"{S}:Synchronizers:{i}", s.Name, s.Address, s.ApiKey);
        }

        CheckRange(errors, "HealthProbeInterval", options.HealthProbeInterval, TimeSpan.FromMilliseconds(50), TimeSpan.FromHours(1));
        CheckRange(errors, "HealthProbeTimeout", options.HealthProbeTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1));
        CheckRange(errors, "InstanceExpiry", options.InstanceExpiry, TimeSpan.FromSeconds(1), TimeSpan.FromDays(7));
        CheckRange(errors, "TopologyWindow", options.TopologyWindow, TimeSpan.FromMinutes(1), TimeSpan.FromDays(31));
        CheckRange(errors, "SessionLifetime", options.SessionLifetime, TimeSpan.FromMinutes(1), TimeSpan.FromDays(30));
        CheckRange(errors, "OperatorCallTimeout", options.OperatorCallTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckEndpoint(List<string> errors, string key, string name, Uri? address, string apiKey)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add($"{key}:Name is empty.");
        }

        if (address is null || !address.IsAbsoluteUri || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add($"{key}:Address must be an absolute http or https address.");
        }

        if (string.IsNullOrWhiteSpace(apiKey))
        {
            errors.Add($"{key}:ApiKey is empty; the operator API refuses anonymous calls.");
        }
    }

    private static void CheckRange(List<string> errors, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{S}:{key} is {value}; use {min} to {max}.");
        }
    }
}
