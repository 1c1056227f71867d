namespace Twist.Coordinator.Hosting;

/// <summary>
/// The credential the coordinator sends with every Confirm/Cancel call. Set a bearer token, an HMAC key, or both;
/// participants authenticate the coordinator with it (the Twist.Client participant SDK checks both).
/// </summary>
public sealed class ParticipantCredentialOptions
{
    /// <summary>Gets or sets the bearer token sent as <c>Authorization: Bearer …</c>.</summary>
    /// <value>The default value is <see langword="null"/> (none).</value>
    public string? BearerToken { get; set; }

    /// <summary>
    /// Gets or sets the shared HMAC-SHA256 key (at least 32 characters) used to sign each call
    /// (<c>Twist-Signature</c>, <c>Twist-Timestamp</c>; see <c>Twist.Protocol.TwistSignature</c>).
    /// </summary>
    /// <value>The default value is <see langword="null"/> (no signature).</value>
    public string? HmacKey { get; set; }

    /// <inheritdoc/>
    public override string ToString() =>
        $"BearerToken={(BearerToken is null ? "none" : "***")}, HmacKey={(HmacKey is null ? "none" : "***")}";
}
