using Microsoft.Extensions.Options;

namespace Gravity.Sync.Hosting;

/// <summary>
/// Validates <see cref="GravitySyncOptions"/> at start-up and reports every problem at once, naming the configuration
/// key and the value found.
/// </summary>
internal sealed class GravitySyncOptionsValidator : IValidateOptions<GravitySyncOptions>
{
    public ValidateOptionsResult Validate(string? name, GravitySyncOptions options)
    {
        var errors = new List<string>();
        void Range(string key, TimeSpan value, TimeSpan min, TimeSpan max)
        {
            if (value < min || value > max)
            {
                errors.Add($"{GravitySyncOptions.SectionName}:{key} is {value}; it must be between {min} and {max}.");
            }
        }

        void IntRange(string key, int? value, int min, int max)
        {
            if (value is { } v && (v < min || v > max))
            {
                errors.Add($"{GravitySyncOptions.SectionName}:{key} is {v}; it must be between {min} and {max}.");
            }
        }

        IntRange(nameof(options.Partitions), options.Partitions, 1, 256);
        IntRange(nameof(options.ReadBatchSize), options.ReadBatchSize, 1, 100_000);
        IntRange(nameof(options.MaxBatchRows), options.MaxBatchRows, 1, 100_000);
        IntRange(nameof(options.PartitionQueueCapacity), options.PartitionQueueCapacity, 16, 1_000_000);
        Range(nameof(options.PollInterval), options.PollInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
        Range(nameof(options.CheckpointInterval), options.CheckpointInterval, TimeSpan.Zero, TimeSpan.FromMinutes(10));
        Range(nameof(options.RetryBaseDelay), options.RetryBaseDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
        Range(nameof(options.RetryMaxDelay), options.RetryMaxDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        Range(nameof(options.StartupTimeout), options.StartupTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1));
        Range(nameof(options.HandOverTimeout), options.HandOverTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        Range(nameof(options.ExportTimeout), options.ExportTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        Range(nameof(options.OutboxPollInterval), options.OutboxPollInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
        if (options.RetryBaseDelay > options.RetryMaxDelay)
        {
            errors.Add($"{GravitySyncOptions.SectionName}:RetryBaseDelay ({options.RetryBaseDelay}) is longer than RetryMaxDelay ({options.RetryMaxDelay}).");
        }

        if (string.IsNullOrWhiteSpace(options.EventLogPath))
        {
            errors.Add($"{GravitySyncOptions.SectionName}:EventLogPath is empty; give the embedded event log's file name.");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            errors.Add($"{GravitySyncOptions.SectionName}:DataDirectory is empty; use \".\" for the current directory.");
        }

        foreach (var (database, settings) in options.Databases)
        {
            IntRange($"Databases:{database}:Partitions", settings.Partitions, 1, 256);
            if (settings.SnapshotFrom is { } from && string.IsNullOrWhiteSpace(from))
            {
                errors.Add($"{GravitySyncOptions.SectionName}:Databases:{database}:SnapshotFrom is empty; name the database to copy, or remove the key.");
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
