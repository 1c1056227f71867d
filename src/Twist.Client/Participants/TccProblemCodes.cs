namespace Twist.Participants;

/// <summary>
/// Names the stable problem codes of the participant endpoints (problem+json <c>code</c>, last segment of <c>type</c>),
/// beside <c>invalid-request</c> (400), <c>unauthorized</c> (401) and <c>internal-error</c> (500).
/// </summary>
public static class TccProblemCodes
{
    /// <summary>409 on Try: the transaction was already cancelled (a hanging Try); the handler was not called.</summary>
    public const string Hanging = "tcc-hanging";

    /// <summary>409 on Try: an earlier Try of the transaction did not complete; the transaction must be cancelled.</summary>
    public const string TryIncomplete = "tcc-try-incomplete";

    /// <summary>404 on Confirm: no Try succeeded, so there is nothing to confirm.</summary>
    public const string NotTried = "tcc-not-tried";

    /// <summary>409 on Confirm after Cancel, or Cancel after Confirm.</summary>
    public const string PhaseConflict = "tcc-phase-conflict";

    /// <summary>
    /// 412 on Confirm or Cancel: the call's <c>Twist-Epoch</c> is lower than one already seen for the transaction, so the
    /// coordinator instance that sent it was overtaken by another; the answer's <c>Twist-Epoch</c> header is the higher one.
    /// </summary>
    public const string StaleEpoch = "tcc-stale-epoch";

    /// <summary>The default code of <see cref="TccRejectedException"/>: a handler refused the phase.</summary>
    public const string Rejected = "tcc-rejected";

    /// <summary>415 on Try: the body is not JSON.</summary>
    public const string UnsupportedMediaType = "unsupported-media-type";

    /// <summary>500: a handler failed unexpectedly; the message is logged, not answered.</summary>
    public const string InternalError = "internal-error";
}
