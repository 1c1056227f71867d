namespace Twist.Errors;

/// <summary>
/// Names the stable error codes of the Twist API. Over HTTP each is a problem+json <c>code</c> and the last segment of
/// its <c>type</c> URI; in-process each is <see cref="TwistException.Code"/>.
/// </summary>
public static class TwistErrorCodes
{
    /// <summary>The request body or a parameter is malformed.</summary>
    public const string InvalidRequest = "invalid-request";

    /// <summary>A participant link is not acceptable (scheme, host not allowed, too long, expired format...).</summary>
    public const string InvalidParticipantLink = "invalid-participant-link";

    /// <summary>No transaction has that id.</summary>
    public const string TransactionNotFound = "transaction-not-found";

    /// <summary>The transaction was already decided the other way, or is no longer active.</summary>
    public const string TransactionConflict = "transaction-conflict";

    /// <summary>The transaction has too many participants.</summary>
    public const string TooManyParticipants = "too-many-participants";

    /// <summary>No participant with that id exists in the transaction.</summary>
    public const string ParticipantNotFound = "participant-not-found";

    /// <summary>No Brobridge v1 task has that id.</summary>
    public const string TaskNotFound = "task-not-found";

    /// <summary>The coordinator cannot accept work right now (shutting down, store unavailable); retry later.</summary>
    public const string Unavailable = "coordinator-unavailable";

    /// <summary>The request body is larger than the configured limit.</summary>
    public const string PayloadTooLarge = "payload-too-large";

    /// <summary>The caller is not authenticated.</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>The caller is authenticated but lacks the role the operation needs.</summary>
    public const string Forbidden = "forbidden";
}
