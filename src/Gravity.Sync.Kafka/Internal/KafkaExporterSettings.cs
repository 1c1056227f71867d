using System.Globalization;
using Gravity.Sync.Rules;
using Shared.Kafka;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>One kafka exporter's effective settings: code/configuration first, then exporter.json, then the main cluster.</summary>
internal sealed record KafkaExporterSettings(string BootstrapServers, string? Username, string? Password, string Topic)
{
    public const string DefaultTopic = "gravity.synced";

    public static KafkaExporterSettings Resolve(ExporterDefinition definition, GravityKafkaOptions options)
    {
        options.Exporters.TryGetValue(definition.Name, out var code);
        var file = definition.Settings;
        string? Setting(string name) => file.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

        // exporter.json (the seed's format): "host" + "port", or the original Gravity's "hosts" list.
        var fileServers = Setting("hosts")?.Trim('[', ']').Replace("\"", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal)
            ?? (Setting("host") is { } host ? string.Create(CultureInfo.InvariantCulture, $"{host}:{Setting("port") ?? "9092"}") : null);
        var servers = code?.BootstrapServers ?? fileServers ?? options.BootstrapServers;
        var sameCluster = servers == options.BootstrapServers;
        var topic = code?.Topic ?? Setting("topic") ?? DefaultTopic;
        var where = $"{definition.File ?? "exporters"}: exporter.{definition.Name}";
        var errors = new List<string>();
        KafkaSettingChecks.CheckBootstrapServers(servers, $"{where}: host/port", errors);
        if (!KafkaSettingChecks.IsTopic(topic))
        {
            errors.Add($"{where}: topic \"{topic}\" is not a valid Kafka topic (1-249 characters of letters, digits, '.', '_' and '-').");
        }

        return errors.Count > 0
            ? throw new GravityRulesException(errors)
            : new KafkaExporterSettings(
                servers,
                code?.Username ?? Setting("username") ?? (sameCluster ? options.Username : null),
                code?.Password ?? Setting("password") ?? (sameCluster ? options.Password : null),
                topic);
    }
}
