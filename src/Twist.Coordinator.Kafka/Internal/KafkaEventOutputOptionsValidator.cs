using Microsoft.Extensions.Options;

namespace Twist.Coordinator.Kafka;

/// <summary>Validates <see cref="KafkaEventOutputOptions"/> at start-up, reporting every problem (credentials never echoed).</summary>
internal sealed class KafkaEventOutputOptionsValidator : IValidateOptions<KafkaEventOutputOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaEventOutputOptions options)
    {
        const string Section = KafkaEventOutputOptions.SectionName;
        var errors = new List<string>();
        var servers = (options.BootstrapServers ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (servers.Length == 0 || !servers.All(IsHostAndPort))
        {
            errors.Add($"{Section}:BootstrapServers is '{options.BootstrapServers}'; it must be comma-separated host:port pairs, e.g. kafka1:9092,kafka2:9092.");
        }

        if (!IsTopic(options.Topic))
        {
            errors.Add($"{Section}:Topic is '{options.Topic}'; a Kafka topic is 1-249 characters of letters, digits, '.', '_' and '-' (and not '.' or '..').");
        }

        if ((options.Username is null) != (options.Password is null))
        {
            errors.Add($"{Section}: Username and Password go together; only one of them is set.");
        }

        if (options.DeliveryTimeout < TimeSpan.FromSeconds(1) || options.DeliveryTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{Section}:DeliveryTimeout is {options.DeliveryTimeout}; it must be between 00:00:01 and 01:00:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>Kafka's own rule: 1-249 characters of <c>[a-zA-Z0-9._-]</c>, not <c>.</c> or <c>..</c>.</summary>
    internal static bool IsTopic(string? topic) =>
        !string.IsNullOrEmpty(topic) && topic.Length <= 249 && topic is not ("." or "..")
        && topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static bool IsHostAndPort(string server)
    {
        var colon = server.LastIndexOf(':');
        return !server.Contains("://", StringComparison.Ordinal) && colon > 0
            && int.TryParse(server.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)
            && port is >= 1 and <= 65535;
    }
}
