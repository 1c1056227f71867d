using Microsoft.Extensions.Options;

namespace Rosen.Collector.Internal;

/// <summary>Fails start-up with every problem in the collector options, naming the configuration key to fix.</summary>
internal sealed class RosenCollectorOptionsValidator : IValidateOptions<RosenCollectorOptions>
{
    public ValidateOptionsResult Validate(string? name, RosenCollectorOptions options)
    {
        var errors = new List<string>();
        const string Section = RosenCollectorOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{Section}:ConnectionString is empty; use e.g. \"Data Source=rosen-spans.db\".");
        }

        if (options.MaxRequestBodySize is < 1024 or > 256 * 1024 * 1024)
        {
            errors.Add($"{Section}:MaxRequestBodySize is {options.MaxRequestBodySize}; use 1024 to 268435456 bytes.");
        }

        if (options.Retention < TimeSpan.FromMinutes(1))
        {
            errors.Add($"{Section}:Retention is {options.Retention}; keep spans at least 00:01:00.");
        }

        if (options.RetentionSweepInterval < TimeSpan.FromMilliseconds(10) || options.RetentionSweepInterval > TimeSpan.FromDays(1))
        {
            errors.Add($"{Section}:RetentionSweepInterval is {options.RetentionSweepInterval}; use 00:00:00.010 to 1.00:00:00.");
        }

        if (options.MaxAttributeValueLength is < 16 or > 1024 * 1024)
        {
            errors.Add($"{Section}:MaxAttributeValueLength is {options.MaxAttributeValueLength}; use 16 to 1048576 characters.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
