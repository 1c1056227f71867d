using Microsoft.Extensions.Options;

namespace Twist.Coordinator.Events;

/// <summary>Validates <see cref="TransactionEventOptions"/> at start-up, reporting every problem with the value found.</summary>
internal sealed class TransactionEventOptionsValidator : IValidateOptions<TransactionEventOptions>
{
    public ValidateOptionsResult Validate(string? name, TransactionEventOptions options)
    {
        var errors = new List<string>();
        void Check<T>(string key, T value, T min, T max)
            where T : IComparable<T>
        {
            if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
            {
                errors.Add($"{TransactionEventOptions.SectionName}:{key} is {value}; it must be between {min} and {max}.");
            }
        }

        Check(nameof(options.QueueCapacity), options.QueueCapacity, 1, 10_000_000);
        Check(nameof(options.MaxAttempts), options.MaxAttempts, 1, 1000);
        Check(nameof(options.RetryBaseDelay), options.RetryBaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
        Check(nameof(options.RetryMaxDelay), options.RetryMaxDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        Check(nameof(options.SinkTimeout), options.SinkTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Check(nameof(options.DrainTimeout), options.DrainTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            errors.Add($"{TransactionEventOptions.SectionName}:RetryMaxDelay ({options.RetryMaxDelay}) must not be shorter than RetryBaseDelay ({options.RetryBaseDelay}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
