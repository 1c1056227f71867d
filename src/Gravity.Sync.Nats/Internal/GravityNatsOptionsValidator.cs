using Microsoft.Extensions.Options;

namespace Gravity.Sync.Nats.Internal;

/// <summary>Validates <see cref="GravityNatsOptions"/> at start-up, reporting every problem (credentials redacted).</summary>
internal sealed class GravityNatsOptionsValidator : IValidateOptions<GravityNatsOptions>
{
    private static readonly string[] Schemes = ["nats", "tls", "ws", "wss"];

    public ValidateOptionsResult Validate(string? name, GravityNatsOptions options)
    {
        const string Section = GravityNatsOptions.SectionName;
        var errors = new List<string>();
        CheckUrl(options.Url, Section + ":Url", errors);
        CheckCredentials(options.Token, options.Username, options.Password, Section, errors);
        if (!NatsNames.IsName(options.StreamName))
        {
            errors.Add($"{Section}:StreamName is '{options.StreamName}'; a JetStream stream name must be non-empty and contain no '.', '*', '>', '/', '\\' or whitespace.");
        }

        if (!NatsNames.IsSubject(options.SubjectPrefix))
        {
            errors.Add($"{Section}:SubjectPrefix is '{options.SubjectPrefix}'; it must be dot-separated, non-empty subject tokens without wildcards or whitespace.");
        }

        if (!NatsNames.IsName(options.ConsumerName))
        {
            errors.Add($"{Section}:ConsumerName is '{options.ConsumerName}'; a durable consumer name must be non-empty and contain no '.', '*', '>', '/', '\\' or whitespace.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{Section}:ConnectTimeout is {options.ConnectTimeout}; it must be between 00:00:00 (exclusive) and 00:10:00.");
        }

        if (options.AckWait < TimeSpan.FromSeconds(1) || options.AckWait > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:AckWait is {options.AckWait}; it must be between 00:00:01 and 1.00:00:00.");
        }

        if (options.Partitions is < 0 or > 1024)
        {
            errors.Add($"{Section}:Partitions is {options.Partitions}; use 0 (one ordered stream, one instance) or 1-1024.");
        }

        if (options.KeyField is { Length: 0 })
        {
            errors.Add($"{Section}:KeyField is empty; name a top-level payload field, or set it to null to partition events without a key by their id.");
        }

        if (options.Partitions > 0)
        {
            if (!NatsNames.IsKeyToken(options.ConsumerName))
            {
                errors.Add($"{Section}:ConsumerName is '{options.ConsumerName}'; with Partitions it names the claims too, so use only letters, digits, '-' and '_'.");
            }

            if (!NatsNames.IsKeyToken(options.ClaimBucket))
            {
                errors.Add($"{Section}:ClaimBucket is '{options.ClaimBucket}'; a key-value bucket name is letters, digits, '-' and '_'.");
            }

            if (options.ClaimTtl < TimeSpan.FromSeconds(1) || options.ClaimTtl > TimeSpan.FromMinutes(10))
            {
                errors.Add($"{Section}:ClaimTtl is {options.ClaimTtl}; it must be between 00:00:01 and 00:10:00.");
            }
        }

        if (options.InstanceId is not null && (options.InstanceId.Length is 0 or > 128 || !NatsNames.IsKeyToken(options.InstanceId)))
        {
            errors.Add($"{Section}:InstanceId is '{options.InstanceId}'; use 1-128 letters, digits, '-' and '_', or leave it unset.");
        }

        foreach (var (exporter, settings) in options.Exporters)
        {
            var prefix = $"{Section}:Exporters:{exporter}";
            if (settings.Url is not null)
            {
                CheckUrl(settings.Url, prefix + ":Url", errors);
            }

            CheckCredentials(settings.Token, settings.Username, settings.Password, prefix, errors);
            if (settings.Subject is not null && !NatsNames.IsSubject(settings.Subject))
            {
                errors.Add($"{prefix}:Subject is '{settings.Subject}'; it must be dot-separated, non-empty subject tokens without wildcards or whitespace.");
            }

            if (settings.StreamName is not null && !NatsNames.IsName(settings.StreamName))
            {
                errors.Add($"{prefix}:StreamName is '{settings.StreamName}'; a JetStream stream name must be non-empty and contain no '.', '*', '>', '/', '\\' or whitespace.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static void CheckUrl(string? url, string key, List<string> errors)
    {
        var urls = (url ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (urls.Length == 0 || urls.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || !Schemes.Contains(uri.Scheme)))
        {
            errors.Add($"{key} is '{Redaction.Url(url)}'; it must be one or more comma-separated nats://, tls://, ws:// or wss:// URLs.");
        }
    }

    private static void CheckCredentials(string? token, string? username, string? password, string prefix, List<string> errors)
    {
        if (token is not null && (username is not null || password is not null))
        {
            errors.Add($"{prefix}: set either Token or Username/Password, not both.");
        }

        if ((username is null) != (password is null))
        {
            errors.Add($"{prefix}: Username and Password go together; only one of them is set.");
        }
    }
}
