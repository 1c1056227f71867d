namespace Twist.Coordinator.Dispatch;

/// <summary>How a participant answered one Confirm or Cancel delivery, classified as specs/twist-protocol.md says.</summary>
internal enum DeliveryOutcome
{
    /// <summary>2xx (or 404 on Cancel: nothing was reserved). The phase is applied.</summary>
    Done,

    /// <summary>404/409 on Confirm, 409 on Cancel: the participant can no longer apply the decision.</summary>
    Heuristic,

    /// <summary>5xx, 408, 429, other 4xx, timeouts, refused connections: retry with back-off within the budget.</summary>
    Transient,

    /// <summary>
    /// The participant refused the call because it saw a higher epoch for the transaction (412 with a higher
    /// <c>Twist-Epoch</c>, or gRPC ABORTED with one): another instance drives the transaction now. Not retried.
    /// </summary>
    Superseded,

    /// <summary>This instance's lease lapsed before the call; no call was made. Not retried until the lease is renewed.</summary>
    LeaseLapsed,
}

/// <summary>The result of one delivery attempt.</summary>
/// <param name="Outcome">The classification.</param>
/// <param name="StatusCode">The HTTP status (or gRPC status number) the participant answered, when it answered.</param>
/// <param name="Error">What went wrong, for the attempt history and operators.</param>
internal readonly record struct DeliveryResult(DeliveryOutcome Outcome, int? StatusCode, string? Error)
{
    public static DeliveryResult Done(int statusCode) => new(DeliveryOutcome.Done, statusCode, null);
}
