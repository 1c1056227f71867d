using Microsoft.Extensions.Options;

namespace Twist.Coordinator.Host;

/// <summary>Checks <c>Twist:Host</c> at start-up and names the key to fix.</summary>
internal sealed class CoordinatorHostOptionsValidator : IValidateOptions<CoordinatorHostOptions>
{
    public ValidateOptionsResult Validate(string? name, CoordinatorHostOptions options)
    {
        // Zero or negative would skip the drain and abandon in-flight deliveries to recovery on every stop.
        if (options.ShutdownTimeout <= TimeSpan.Zero || options.ShutdownTimeout > CoordinatorHostOptions.MaxShutdownTimeout)
        {
            return ValidateOptionsResult.Fail(
                $"{TwistCoordinatorHost.HostSectionName}:ShutdownTimeout is {options.ShutdownTimeout}; use a duration above zero and at most " +
                $"{CoordinatorHostOptions.MaxShutdownTimeout} (hh:mm:ss, e.g. 00:00:30), shorter than your orchestrator's grace period.");
        }

        return ValidateOptionsResult.Success;
    }
}
