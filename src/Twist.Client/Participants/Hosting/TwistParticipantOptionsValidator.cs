using Microsoft.Extensions.Options;

namespace Twist.Participants.Hosting;

/// <summary>
/// Validates <see cref="TwistParticipantOptions"/> at start-up and reports every problem at once, naming the
/// configuration key and the value found. Security by default: no coordinator credential is an error unless
/// <see cref="TwistParticipantOptions.AllowUnauthenticatedCoordinator"/> says otherwise.
/// </summary>
internal sealed class TwistParticipantOptionsValidator(bool guardConfiguredInCode) : IValidateOptions<TwistParticipantOptions>
{
    private const string Section = TwistParticipantOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TwistParticipantOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();

        if (!guardConfiguredInCode && string.IsNullOrWhiteSpace(options.GuardConnectionString))
        {
            errors.Add(
                $"No participant guard database is configured. Set {Section}:GuardConnectionString to a SQLite connection string " +
                "(e.g. \"Data Source=app.db\", the database your handlers write to), or call .UseSqliteGuard(...) or .UseGuard(dataSource) " +
                "on the builder that AddTwistParticipantOptions returns.");
        }

        var credential = options.CoordinatorCredential;
        if (!credential.IsConfigured && !options.AllowUnauthenticatedCoordinator)
        {
            errors.Add(
                $"No coordinator credential is configured: anyone could confirm or cancel this service's reservations. Set " +
                $"{Section}:CoordinatorCredential:BearerToken and/or {Section}:CoordinatorCredential:HmacKey to the coordinator's " +
                $"ParticipantCredential, or set {Section}:AllowUnauthenticatedCoordinator to true (development only).");
        }

        if (credential.BearerToken is { } token && (token.Length == 0 || token.Any(char.IsControl) || token.Trim() != token))
        {
            errors.Add($"{Section}:CoordinatorCredential:BearerToken is empty or has control characters or surrounding spaces; set the coordinator's ParticipantCredential:BearerToken.");
        }

        if (credential.HmacKey is { } key && key.Length < 32)
        {
            errors.Add($"{Section}:CoordinatorCredential:HmacKey has {key.Length} characters; it must have at least 32.");
        }

        if (options.ReservationLifetime < TimeSpan.FromSeconds(1) || options.ReservationLifetime > TimeSpan.FromDays(7))
        {
            errors.Add($"{Section}:ReservationLifetime is {options.ReservationLifetime}; it must be between 00:00:01 and 7.00:00:00.");
        }

        if (options.MaxReservationLifetime < TimeSpan.FromSeconds(1) || options.MaxReservationLifetime > TimeSpan.FromDays(7))
        {
            errors.Add($"{Section}:MaxReservationLifetime is {options.MaxReservationLifetime}; it must be between 00:00:01 and 7.00:00:00.");
        }

        if (options.SweepInterval < TimeSpan.FromMilliseconds(100) || options.SweepInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"{Section}:SweepInterval is {options.SweepInterval}; it must be between 00:00:00.1 and 01:00:00.");
        }

        if (options.SweepBatchSize is < 1 or > 10_000)
        {
            errors.Add($"{Section}:SweepBatchSize is {options.SweepBatchSize}; it must be between 1 and 10000.");
        }

        // Guard rows must outlive the longest reservation, or a late Confirm/Cancel would find no record of its Try.
        if (options.GuardRetention < TimeSpan.FromMinutes(1) || options.GuardRetention < options.EffectiveMaxReservationLifetime)
        {
            errors.Add($"{Section}:GuardRetention is {options.GuardRetention}; it must be at least 00:01:00 and at least the longest reservation ({options.EffectiveMaxReservationLifetime}, the larger of ReservationLifetime and MaxReservationLifetime).");
        }

        if (options.PublicBaseAddress is { Scheme: "grpc" or "grpcs" } && !options.EnableGrpc)
        {
            errors.Add($"{Section}:PublicBaseAddress is a gRPC address but {Section}:EnableGrpc is false, so nothing would answer the coordinator's calls to its links.");
        }

        if (options.PublicBaseAddress is { } address
            && (!address.IsAbsoluteUri || address.Scheme is not ("http" or "https" or "grpc" or "grpcs") || address.Query.Length > 0 || address.Fragment.Length > 0))
        {
            errors.Add($"{Section}:PublicBaseAddress is '{address}'; it must be an absolute http, https, grpc or grpcs URI without query or fragment, e.g. https://wallet.internal:8443.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
