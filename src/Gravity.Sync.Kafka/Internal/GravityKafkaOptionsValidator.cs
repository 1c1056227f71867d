using Microsoft.Extensions.Options;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>Validates <see cref="GravityKafkaOptions"/> at start-up, reporting every problem (credentials redacted).</summary>
internal sealed class GravityKafkaOptionsValidator : IValidateOptions<GravityKafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, GravityKafkaOptions options)
    {
        const string Section = GravityKafkaOptions.SectionName;
        var errors = new List<string>();
        CheckServers(options.BootstrapServers, Section + ":BootstrapServers", errors);
        if (!KafkaNames.IsTopic(options.Topic))
        {
            errors.Add($"{Section}:Topic is '{options.Topic}'; a Kafka topic is 1-249 characters of letters, digits, '.', '_' and '-'.");
        }

        if (string.IsNullOrWhiteSpace(options.GroupId))
        {
            errors.Add($"{Section}:GroupId is empty; name the consumer group offsets are committed to.");
        }
        else if (options.GroupId.Length > 255 || options.GroupId.Any(char.IsControl))
        {
            errors.Add($"{Section}:GroupId is {options.GroupId.Length} characters long or holds control characters; use up to 255 printable characters.");
        }

        if (!Enum.IsDefined(options.PartitionAssignmentStrategy))
        {
            errors.Add($"{Section}:PartitionAssignmentStrategy is '{options.PartitionAssignmentStrategy}'; use CooperativeSticky (recommended), Range or RoundRobin.");
        }

        if (options.SessionTimeout < TimeSpan.FromSeconds(1) || options.SessionTimeout > TimeSpan.FromMinutes(30))
        {
            errors.Add($"{Section}:SessionTimeout is {options.SessionTimeout}; it must be between 00:00:01 and 00:30:00 (and within the brokers' group.min/max.session.timeout.ms).");
        }

        if ((options.Username is null) != (options.Password is null))
        {
            errors.Add($"{Section}: Username and Password go together; only one of them is set.");
        }

        if (options.KeyField is { Length: 0 })
        {
            errors.Add($"{Section}:KeyField is empty; name a top-level payload field, or set it to null to publish events without a key.");
        }

        if (options.MetadataTimeout < TimeSpan.FromMilliseconds(100) || options.MetadataTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"{Section}:MetadataTimeout is {options.MetadataTimeout}; it must be between 00:00:00.1 and 00:10:00.");
        }

        foreach (var (exporter, settings) in options.Exporters)
        {
            var prefix = $"{Section}:Exporters:{exporter}";
            if (settings.BootstrapServers is not null)
            {
                CheckServers(settings.BootstrapServers, prefix + ":BootstrapServers", errors);
            }

            if (settings.Topic is not null && !KafkaNames.IsTopic(settings.Topic))
            {
                errors.Add($"{prefix}:Topic is '{settings.Topic}'; a Kafka topic is 1-249 characters of letters, digits, '.', '_' and '-'.");
            }

            if ((settings.Username is null) != (settings.Password is null))
            {
                errors.Add($"{prefix}: Username and Password go together; only one of them is set.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    internal static void CheckServers(string? servers, string key, List<string> errors)
    {
        var entries = (servers ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length == 0 || entries.Any(e => e.Contains("://", StringComparison.Ordinal) || e.LastIndexOf(':') is var colon && (colon <= 0 || !int.TryParse(e.AsSpan(colon + 1), out var port) || port is < 1 or > 65535)))
        {
            errors.Add($"{key} is '{servers}'; it must be comma-separated host:port pairs, e.g. kafka1:9092,kafka2:9092.");
        }
    }
}
