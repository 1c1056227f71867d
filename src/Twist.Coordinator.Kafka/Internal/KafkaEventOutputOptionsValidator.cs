using Microsoft.Extensions.Options;
using Shared.Kafka;

namespace Twist.Coordinator.Kafka;

/// <summary>Validates <see cref="KafkaEventOutputOptions"/> at start-up, reporting every problem (credentials never echoed).</summary>
internal sealed class KafkaEventOutputOptionsValidator : IValidateOptions<KafkaEventOutputOptions>
{
    public ValidateOptionsResult Validate(string? name, KafkaEventOutputOptions options)
    {
        const string Section = KafkaEventOutputOptions.SectionName;
        var errors = new List<string>();
        KafkaSettingChecks.CheckBootstrapServers(options.BootstrapServers, Section + ":BootstrapServers", errors);
        KafkaSettingChecks.CheckTopic(options.Topic, Section + ":Topic", errors);
        KafkaSettingChecks.CheckCredentials(options.Username, options.Password, Section, errors);

        if (options.DeliveryTimeout < TimeSpan.FromSeconds(1) || options.DeliveryTimeout > TimeSpan.FromHours(1))
        {
            errors.Add($"{Section}:DeliveryTimeout is {options.DeliveryTimeout}; it must be between 00:00:01 and 01:00:00.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
