using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;
using Twist.Coordinator.Security;
using Twist.Coordinator.Storage;
using Twist.Errors;
using Twist.Transactions;

namespace Twist.Coordinator.Engine;

/// <summary>Checks caller input before it reaches the log; every refusal names the field and says what to send instead.</summary>
internal sealed class RequestValidator(IOptions<TwistCoordinatorOptions> options, ParticipantLinkPolicy linkPolicy)
{
    private readonly TwistCoordinatorOptions options = options.Value;

    public static void EnsureTid(string? tid, string field = "tid")
    {
        if (!TransactionIds.IsWellFormed(tid))
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidRequest, field, "a transaction id is 1-64 characters of letters, digits, '.', '_' or '-'.");
        }
    }

    public TimeSpan ResolveTimeout(TimeSpan? timeout)
    {
        var value = timeout ?? options.DefaultTimeout;
        if (value <= TimeSpan.Zero || value > options.MaxTimeout)
        {
            throw new TwistValidationException(
                TwistErrorCodes.InvalidRequest,
                "timeout",
                $"the timeout must be more than 0 and at most {options.MaxTimeout.TotalMilliseconds:0} ms (Twist:Coordinator:MaxTimeout); it was {value.TotalMilliseconds:0} ms.");
        }

        return value;
    }

    public NewParticipant[] ToParticipants(IReadOnlyList<ParticipantLink>? links, string field = "participantLinks")
    {
        if (links is null)
        {
            return [];
        }

        if (links.Count > options.MaxParticipantsPerTransaction)
        {
            throw new TwistValidationException(
                TwistErrorCodes.TooManyParticipants,
                field,
                $"{links.Count} links were sent; a transaction may have at most {options.MaxParticipantsPerTransaction} participants (Twist:Coordinator:MaxParticipantsPerTransaction).");
        }

        var errors = new Dictionary<string, string[]>();
        var result = new NewParticipant[links.Count];
        for (var i = 0; i < links.Count; i++)
        {
            var link = links[i];
            if (link is null)
            {
                errors[$"{field}[{i}]"] = ["the link is null; send {\"uri\": \"http://…\", \"expires\": \"2030-01-01T00:00:00Z\"}."];
                continue;
            }

            if (linkPolicy.Check(link.Uri) is { } error)
            {
                errors[$"{field}[{i}].uri"] = [error];
            }

            if (link.Expires == default)
            {
                errors[$"{field}[{i}].expires"] = ["the link has no expiry; send the reservation's expiry as an RFC 3339 timestamp."];
            }

            result[i] = new NewParticipant(ParticipantTarget.ForLink(link.Uri!), link.Expires);
        }

        if (errors.Count > 0)
        {
            throw new TwistValidationException(TwistErrorCodes.InvalidParticipantLink, errors);
        }

        return result;
    }

    public int MaxParticipants => options.MaxParticipantsPerTransaction;
}
