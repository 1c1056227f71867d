namespace Twist.Participants;

/// <summary>
/// The credential a participant expects from the coordinator, matching the coordinator's
/// <c>ParticipantCredential</c> options. When both are set, a call must carry both.
/// </summary>
public sealed class TwistCoordinatorCredentialOptions
{
    /// <summary>Gets or sets the bearer token expected in <c>Authorization: Bearer …</c>; compared in constant time.</summary>
    /// <value>The default value is <see langword="null"/> (not checked).</value>
    public string? BearerToken { get; set; }

    /// <summary>
    /// Gets or sets the shared HMAC-SHA256 key (at least 32 characters) the coordinator signs calls with
    /// (<c>Twist-Signature</c>, <c>Twist-Timestamp</c>; see <c>Twist.Protocol.TwistSignature</c>). Signatures older or
    /// newer than 5 minutes are refused.
    /// </summary>
    /// <value>The default value is <see langword="null"/> (not checked).</value>
    public string? HmacKey { get; set; }

    /// <summary>Gets a value indicating whether any credential is configured.</summary>
    public bool IsConfigured => BearerToken is not null || HmacKey is not null;

    /// <inheritdoc/>
    public override string ToString() =>
        $"BearerToken={(BearerToken is null ? "none" : "***")}, HmacKey={(HmacKey is null ? "none" : "***")}";
}
