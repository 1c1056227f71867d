using System.Buffers;
using Microsoft.Extensions.Options;

namespace Twist.Coordinator.Nats;

/// <summary>Validates <see cref="NatsEventOutputOptions"/> at start-up, reporting every problem (credentials redacted).</summary>
internal sealed class NatsEventOutputOptionsValidator : IValidateOptions<NatsEventOutputOptions>
{
    private static readonly string[] Schemes = ["nats", "tls", "ws", "wss"];
    private static readonly SearchValues<char> NotInSubjectToken = SearchValues.Create("*> \t\r\n");
    private static readonly SearchValues<char> NotInStreamName = SearchValues.Create(".*> \t\r\n/\\");

    public ValidateOptionsResult Validate(string? name, NatsEventOutputOptions options)
    {
        const string Section = NatsEventOutputOptions.SectionName;
        var errors = new List<string>();
        var urls = (options.Url ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (urls.Length == 0 || urls.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || !Schemes.Contains(uri.Scheme)))
        {
            errors.Add($"{Section}:Url is '{Redaction.Url(options.Url)}'; it must be one or more comma-separated nats://, tls://, ws:// or wss:// URLs.");
        }

        if (string.IsNullOrEmpty(options.SubjectPrefix) || options.SubjectPrefix.Split('.').Any(t => t.Length == 0 || t.AsSpan().ContainsAny(NotInSubjectToken)))
        {
            errors.Add($"{Section}:SubjectPrefix is '{options.SubjectPrefix}'; it must be dot-separated, non-empty subject tokens without wildcards or whitespace.");
        }

        if (options.UseJetStream && (string.IsNullOrEmpty(options.StreamName) || options.StreamName.AsSpan().ContainsAny(NotInStreamName)))
        {
            errors.Add($"{Section}:StreamName is '{options.StreamName}'; a JetStream stream name must be non-empty and contain no '.', '*', '>', '/', '\\' or whitespace.");
        }

        if (options.Token is not null && (options.Username is not null || options.Password is not null))
        {
            errors.Add($"{Section}: set either Token or Username/Password, not both.");
        }

        if ((options.Username is null) != (options.Password is null))
        {
            errors.Add($"{Section}: Username and Password go together; only one of them is set.");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero || options.ConnectTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{Section}:ConnectTimeout is {options.ConnectTimeout}; it must be between 00:00:00 (exclusive) and 00:10:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
