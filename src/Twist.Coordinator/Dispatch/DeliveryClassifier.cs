namespace Twist.Coordinator.Dispatch;

/// <summary>Turns a participant's HTTP answer into a <see cref="DeliveryOutcome"/> (specs/twist-protocol.md, "Coordinator → participant").</summary>
internal static class DeliveryClassifier
{
    public static DeliveryOutcome Classify(int statusCode, bool isConfirm) => statusCode switch
    {
        >= 200 and < 300 => DeliveryOutcome.Done,
        404 when !isConfirm => DeliveryOutcome.Done, // nothing was reserved: the cancel is already true
        404 or 409 => DeliveryOutcome.Heuristic,
        // Everything else (5xx, 408, 429, and 4xx such as 401 from a misconfigured credential) is retried within the
        // budget and then parked, so an operator can fix the cause and retry; it is never silently dropped.
        _ => DeliveryOutcome.Transient,
    };
}
