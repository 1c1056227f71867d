namespace Twist.Protocol;

/// <summary>Names the HTTP headers of the Twist protocol (specs/twist-protocol.md).</summary>
public static class TwistHeaders
{
    /// <summary>The transaction id, on Try requests and on coordinator → participant calls.</summary>
    public const string TransactionId = "Twist-Transaction-ID";

    /// <summary>The transaction's deadline (RFC 3339), on Try requests.</summary>
    public const string Deadline = "Twist-Deadline";

    /// <summary>The phase being delivered: <c>confirm</c> or <c>cancel</c>.</summary>
    public const string Phase = "Twist-Phase";

    /// <summary>The Brobridge v1 spelling of <see cref="Phase"/>, sent as well so v1 participants run unchanged.</summary>
    public const string PhaseCompat = "Twist-Phrase";

    /// <summary>The Brobridge v1 task id, on calls to participants registered as tasks.</summary>
    public const string TaskId = "Twist-Task-ID";

    /// <summary>The coordinator's HMAC-SHA256 signature of a participant call (see <c>TwistSignature</c>).</summary>
    public const string Signature = "Twist-Signature";

    /// <summary>The Unix time (seconds) the signature was made at; participants reject old signatures.</summary>
    public const string SignatureTimestamp = "Twist-Timestamp";

    /// <summary>
    /// The fencing epoch of the coordinator instance that sent a participant call (a positive integer, raised each time
    /// another instance takes the transaction over). A participant guard refuses a call whose epoch is lower than the
    /// highest it has seen for that transaction, answering 412 with its own highest epoch in this header.
    /// </summary>
    public const string Epoch = "Twist-Epoch";

    /// <summary>The phase value for Confirm.</summary>
    public const string PhaseConfirm = "confirm";

    /// <summary>The phase value for Cancel.</summary>
    public const string PhaseCancel = "cancel";
}
