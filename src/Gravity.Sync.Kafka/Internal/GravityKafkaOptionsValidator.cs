using Microsoft.Extensions.Options;
using Shared.Kafka;

namespace Gravity.Sync.Kafka.Internal;

/// <summary>Validates <see cref="GravityKafkaOptions"/> at start-up, reporting every problem (credentials redacted).</summary>
internal sealed class GravityKafkaOptionsValidator : IValidateOptions<GravityKafkaOptions>
{
    public ValidateOptionsResult Validate(string? name, GravityKafkaOptions options)
    {
        const string Section = GravityKafkaOptions.SectionName;
        var errors = new List<string>();
        KafkaSettingChecks.CheckBootstrapServers(options.BootstrapServers, Section + ":BootstrapServers", errors);
        KafkaSettingChecks.CheckTopic(options.Topic, Section + ":Topic", errors);

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

        KafkaSettingChecks.CheckCredentials(options.Username, options.Password, Section, errors);

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
                KafkaSettingChecks.CheckBootstrapServers(settings.BootstrapServers, prefix + ":BootstrapServers", errors);
            }

            if (settings.Topic is not null)
            {
                KafkaSettingChecks.CheckTopic(settings.Topic, prefix + ":Topic", errors);
            }

            KafkaSettingChecks.CheckCredentials(settings.Username, settings.Password, prefix, errors);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
