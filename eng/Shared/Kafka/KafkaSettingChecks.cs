using System.Globalization;

// Compiled into Gravity.Sync.Kafka and Twist.Coordinator.Kafka from this one file: both validate the same connection
// settings at start-up and neither package may depend on the other. Callers pass the configuration key, so every error
// names the section of the package that reports it.
namespace Shared.Kafka;

/// <summary>The checks of Kafka connection settings: bootstrap servers, topic names and SASL credentials.</summary>
internal static class KafkaSettingChecks
{
    /// <summary>Adds an error unless <paramref name="servers"/> is comma-separated <c>host:port</c> pairs (no scheme).</summary>
    public static void CheckBootstrapServers(string? servers, string key, List<string> errors)
    {
        var entries = (servers ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0 || !entries.All(IsHostAndPort))
        {
            errors.Add($"{key} is '{servers}'; it must be comma-separated host:port pairs, e.g. kafka1:9092,kafka2:9092.");
        }
    }

    /// <summary>Adds an error unless <paramref name="topic"/> is a name Kafka accepts (see <see cref="IsTopic"/>).</summary>
    public static void CheckTopic(string? topic, string key, List<string> errors)
    {
        if (!IsTopic(topic))
        {
            errors.Add($"{key} is '{topic}'; a Kafka topic is 1-249 characters of letters, digits, '.', '_' and '-' (and not '.' or '..').");
        }
    }

    /// <summary>Adds an error when only one of the SASL user name and password is set.</summary>
    public static void CheckCredentials(string? username, string? password, string section, List<string> errors)
    {
        if ((username is null) != (password is null))
        {
            errors.Add($"{section}: Username and Password go together; only one of them is set.");
        }
    }

    /// <summary>Kafka's own rule: 1-249 characters of <c>[a-zA-Z0-9._-]</c>, not <c>.</c> or <c>..</c>.</summary>
    public static bool IsTopic(string? topic) =>
        !string.IsNullOrEmpty(topic) && topic.Length <= 249 && topic is not ("." or "..")
        && topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static bool IsHostAndPort(string server)
    {
        var colon = server.LastIndexOf(':');
        return !server.Contains("://", StringComparison.Ordinal) && colon > 0
            && int.TryParse(server.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }
}
