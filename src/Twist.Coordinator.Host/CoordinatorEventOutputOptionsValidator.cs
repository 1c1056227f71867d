using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;

namespace Twist.Coordinator.Host;

/// <summary>Checks <c>Twist:Coordinator:EventOutput</c> at start-up and lists the choices.</summary>
internal sealed class CoordinatorEventOutputOptionsValidator : IValidateOptions<CoordinatorEventOutputOptions>
{
    public ValidateOptionsResult Validate(string? name, CoordinatorEventOutputOptions options)
    {
        var unknown = options.Unknown.ToArray();
        if (unknown.Length > 0)
        {
            return ValidateOptionsResult.Fail(
                $"{TwistCoordinatorOptions.SectionName}:{CoordinatorEventOutputOptions.Key} is '{options.EventOutput}'; '{string.Join("', '", unknown)}' is not an event output. " +
                $"Use {CoordinatorEventOutputOptions.NatsKind}, {CoordinatorEventOutputOptions.KafkaKind}, both comma-separated ({CoordinatorEventOutputOptions.NatsKind},{CoordinatorEventOutputOptions.KafkaKind}), or {CoordinatorEventOutputOptions.NoneKind}.");
        }

        if (options.Entries.Contains(CoordinatorEventOutputOptions.NoneKind, StringComparer.OrdinalIgnoreCase) && (options.Nats || options.Kafka))
        {
            return ValidateOptionsResult.Fail(
                $"{TwistCoordinatorOptions.SectionName}:{CoordinatorEventOutputOptions.Key} is '{options.EventOutput}'; {CoordinatorEventOutputOptions.NoneKind} cannot be combined with an output.");
        }

        return ValidateOptionsResult.Success;
    }
}
