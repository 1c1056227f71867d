using System.Globalization;
using Gravity.Sync.Rules;

namespace Gravity.Sync.Nats.Internal;

/// <summary>One nats exporter's effective settings: code/configuration first, then exporter.json, then the main connection.</summary>
internal sealed record NatsExporterSettings(string Url, string? Username, string? Password, string? Token, string Subject, bool UseJetStream, string StreamName)
{
    public const string DefaultSubject = "gravity.synced";
    public const string DefaultStream = "GRAVITY_SYNCED";

    public static NatsExporterSettings Resolve(ExporterDefinition definition, GravityNatsOptions options)
    {
        options.Exporters.TryGetValue(definition.Name, out var code);
        var file = definition.Settings;
        string? Setting(string name) => file.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
        var fileUrl = Setting("url")
            ?? (Setting("host") is { } host ? string.Create(CultureInfo.InvariantCulture, $"nats://{host}:{Setting("port") ?? "4222"}") : null);
        var url = code?.Url ?? fileUrl ?? options.Url;
        var sameServer = url == options.Url;
        var subject = code?.Subject ?? Setting("subject") ?? Setting("channel") ?? DefaultSubject;
        var where = $"{definition.File ?? "exporters"}: exporter.{definition.Name}";
        var errors = new List<string>();
        GravityNatsOptionsValidator.CheckUrl(url, $"{where}: url", errors);
        if (!NatsNames.IsSubject(subject))
        {
            errors.Add($"{where}: subject \"{subject}\" must be dot-separated, non-empty subject tokens without wildcards or whitespace.");
        }

        var stream = code?.StreamName ?? Setting("stream") ?? DefaultStream;
        if (!NatsNames.IsName(stream))
        {
            errors.Add($"{where}: stream \"{stream}\" is not a valid JetStream stream name.");
        }

        if (errors.Count > 0)
        {
            throw new GravityRulesException(errors);
        }

        return new NatsExporterSettings(
            url,
            code?.Username ?? Setting("username") ?? (sameServer ? options.Username : null),
            code?.Password ?? Setting("password") ?? (sameServer ? options.Password : null),
            code?.Token ?? Setting("token") ?? (sameServer ? options.Token : null),
            subject,
            code?.UseJetStream ?? (Setting("stream") is not null),
            stream);
    }
}
