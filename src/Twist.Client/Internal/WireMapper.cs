using Twist.Transactions;

namespace Twist.Client.Internal;

/// <summary>Maps the wire shapes of the REST and gRPC APIs to the contract types.</summary>
internal static class WireMapper
{
    public static TransactionStatus ParseStatus(string? status, string tid)
    {
        if (status is not null && Enum.TryParse<TransactionStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
        {
            return parsed;
        }

        throw new Errors.TwistException(
            Errors.TwistErrorCodes.InvalidRequest,
            $"The coordinator answered transaction '{tid}' with the unknown status '{status}'. Check that the client and the coordinator speak the same protocol version.")
        {
            Tid = tid,
        };
    }

    public static ParticipantStatus ParseParticipantStatus(string? status) =>
        status is not null && Enum.TryParse<ParticipantStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : ParticipantStatus.Registered;

    public static TransactionAttention ParseAttention(string? attention) =>
        !string.IsNullOrEmpty(attention) && Enum.TryParse<TransactionAttention>(attention, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
            ? parsed
            : TransactionAttention.None;

    public static TransactionInfo ToInfo(TransactionBody body, string? fallbackTid = null)
    {
        var tid = body.Tid ?? body.TransactionId ?? fallbackTid
            ?? throw new Errors.TwistException(Errors.TwistErrorCodes.InvalidRequest, "The coordinator answered a transaction without a tid.");
        var participants = new List<ParticipantInfo>();
        if (body.Participants is { } list)
        {
            for (var i = 0; i < list.Count; i++)
            {
                var p = list[i];
                if (p.Uri is null || !Uri.TryCreate(p.Uri, UriKind.Absolute, out var uri))
                {
                    continue;
                }

                participants.Add(new ParticipantInfo
                {
                    Id = p.Id ?? i + 1,
                    Uri = uri,
                    Expires = p.Expires ?? DateTimeOffset.MinValue,
                    Status = ParseParticipantStatus(p.Status),
                    Attempts = p.Attempts ?? 0,
                    LastError = p.LastError,
                    LastAttemptAt = p.LastAttemptAt,
                    NextAttemptAt = p.NextAttemptAt,
                    TaskId = p.TaskId,
                });
            }
        }

        return new TransactionInfo
        {
            Tid = tid,
            Status = ParseStatus(body.Status, tid),
            Attention = ParseAttention(body.Attention),
            CreatedAt = body.CreatedAt ?? body.Created ?? DateTimeOffset.UtcNow,
            ExpiresAt = body.ExpiresAt ?? body.Expires ?? DateTimeOffset.UtcNow,
            DecidedAt = body.DecidedAt ?? body.Decided,
            CompletedAt = body.CompletedAt ?? body.Completed,
            Reason = body.Reason,
            Participants = participants,
        };
    }

    public static LinkBody ToBody(ParticipantLink link) => new(link.Uri.AbsoluteUri, link.Expires);

    /// <summary>
    /// Turns a one-line error into the errors of a <see cref="Errors.TwistValidationException"/>, dropping the
    /// "The request is invalid: " prefix the coordinator's own exception put there, so the message does not repeat it.
    /// </summary>
    public static Dictionary<string, string[]> SingleError(string message)
    {
        const string Prefix = "The request is invalid: ";
        return new() { ["request"] = [message.StartsWith(Prefix, StringComparison.Ordinal) ? message[Prefix.Length..] : message] };
    }

    /// <summary>A stand-in when a conflict answer carries no transaction and it cannot be fetched either.</summary>
    public static TransactionInfo Unknown(string tid, TransactionStatus status) => new()
    {
        Tid = tid,
        Status = status,
        CreatedAt = DateTimeOffset.MinValue,
        ExpiresAt = DateTimeOffset.MinValue,
    };
}
