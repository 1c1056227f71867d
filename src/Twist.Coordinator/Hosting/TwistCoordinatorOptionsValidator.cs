using Microsoft.Extensions.Options;

namespace Twist.Coordinator.Hosting;

/// <summary>
/// Validates <see cref="TwistCoordinatorOptions"/> at start-up and reports every problem at once, naming the
/// configuration key and the value found, so a misconfigured coordinator fails before it takes traffic.
/// </summary>
internal sealed class TwistCoordinatorOptionsValidator : IValidateOptions<TwistCoordinatorOptions>
{
    public ValidateOptionsResult Validate(string? name, TwistCoordinatorOptions options)
    {
        var errors = new List<string>();
        void Range(string key, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max)
            {
                errors.Add($"{TwistCoordinatorOptions.SectionName}:{key} is {value}; it must be between {min} and {max}.");
            }
        }

        void IntRange(string key, int value, int min, int max)
        {
            if (value < min || value > max)
            {
                errors.Add($"{TwistCoordinatorOptions.SectionName}:{key} is {value}; it must be between {min} and {max}.");
            }
        }

        Range(nameof(options.DefaultTimeout), options.DefaultTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(7));
        Range(nameof(options.MaxTimeout), options.MaxTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(7));
        Range(nameof(options.DecisionWaitTimeout), options.DecisionWaitTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Range(nameof(options.ParticipantCallTimeout), options.ParticipantCallTimeout, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(10));
        Range(nameof(options.RetryBaseDelay), options.RetryBaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
        Range(nameof(options.RetryMaxDelay), options.RetryMaxDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        Range(nameof(options.TimeoutSweepInterval), options.TimeoutSweepInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        Range(nameof(options.RecoveryInterval), options.RecoveryInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        Range(nameof(options.RetainFinishedFor), options.RetainFinishedFor, TimeSpan.FromSeconds(1), TimeSpan.FromDays(3650));
        Range(nameof(options.RetainAuditFor), options.RetainAuditFor, TimeSpan.FromSeconds(1), TimeSpan.FromDays(3650));
        Range(nameof(options.PurgeInterval), options.PurgeInterval, TimeSpan.FromMilliseconds(100), TimeSpan.FromDays(1));
        Range(nameof(options.LeaseDuration), options.LeaseDuration, TimeSpan.FromMilliseconds(300), TimeSpan.FromHours(1));
        IntRange(nameof(options.RecoveryBatchSize), options.RecoveryBatchSize, 1, 100_000);
        IntRange(nameof(options.MaxRecoveringTransactions), options.MaxRecoveringTransactions, 1, 10_000_000);
        IntRange(nameof(options.MaxParticipantsPerTransaction), options.MaxParticipantsPerTransaction, 1, 10_000);
        IntRange(nameof(options.MaxLinkLength), options.MaxLinkLength, 16, 65_536);
        IntRange(nameof(options.MaxAttemptsPerParticipant), options.MaxAttemptsPerParticipant, 1, 10_000);
        IntRange(nameof(options.MaxConcurrentDeliveries), options.MaxConcurrentDeliveries, 1, 100_000);

        if (options.DefaultTimeout > options.MaxTimeout)
        {
            errors.Add($"{TwistCoordinatorOptions.SectionName}:DefaultTimeout ({options.DefaultTimeout}) is longer than MaxTimeout ({options.MaxTimeout}).");
        }

        if (options.RetryBaseDelay > options.RetryMaxDelay)
        {
            errors.Add($"{TwistCoordinatorOptions.SectionName}:RetryBaseDelay ({options.RetryBaseDelay}) is longer than RetryMaxDelay ({options.RetryMaxDelay}).");
        }

        if (options.StoreFactory is null && string.IsNullOrWhiteSpace(options.SqlitePath))
        {
            errors.Add($"{TwistCoordinatorOptions.SectionName}:SqlitePath is empty; give the SQLite file path or configure another store.");
        }

        // A bad token would otherwise surface as 401s from every participant, or an exception building the header.
        if (options.ParticipantCredential.BearerToken is { } token && (token.Length == 0 || token.Any(char.IsControl) || token.Trim() != token))
        {
            errors.Add($"{TwistCoordinatorOptions.SectionName}:ParticipantCredential:BearerToken is empty or has control characters or surrounding spaces; set the token your participants expect, or leave it unset.");
        }

        if (options.ParticipantCredential.HmacKey is { Length: < 32 })
        {
            errors.Add($"{TwistCoordinatorOptions.SectionName}:ParticipantCredential:HmacKey is {options.ParticipantCredential.HmacKey.Length} characters; use at least 32.");
        }

        foreach (var host in options.AllowedParticipantHosts)
        {
            if (!Security.HostPattern.TryParse(host, out _, out var error))
            {
                errors.Add($"{TwistCoordinatorOptions.SectionName}:AllowedParticipantHosts entry '{host}' is invalid: {error}");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
