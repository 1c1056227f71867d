namespace Twist.Coordinator.AspNetCore;

/// <summary>
/// Configures JWT bearer authentication for the Twist API. Either an OpenID Connect <see cref="Authority"/> (keys
/// come from its metadata) or a symmetric <see cref="SigningKey"/> (tests and simple set-ups). Roles come from the
/// <c>roles</c> or <c>role</c> claim.
/// </summary>
public sealed class TwistJwtOptions
{
    /// <summary>Gets or sets the token issuer's base address (OpenID Connect discovery).</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? Authority { get; set; }

    /// <summary>Gets or sets the audience tokens must be issued for. Required whenever JWT is used.</summary>
    /// <value>The default value is <see langword="null"/> (JWT off).</value>
    public string? Audience { get; set; }

    /// <summary>Gets or sets the issuer tokens must carry; required with <see cref="SigningKey"/>.</summary>
    /// <value>The default value is <see langword="null"/> (taken from the authority's metadata).</value>
    public string? Issuer { get; set; }

    /// <summary>Gets or sets a symmetric HMAC-SHA256 signing key (UTF-8, at least 32 bytes) used instead of an authority.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public string? SigningKey { get; set; }

    /// <summary>Gets or sets a value indicating whether the authority's metadata must be fetched over HTTPS.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Gets a value indicating whether JWT authentication is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Audience) || !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKey);

    /// <inheritdoc/>
    public override string ToString() =>
        $"Authority={Authority ?? "none"}, Audience={Audience ?? "none"}, Issuer={Issuer ?? "none"}, SigningKey={(SigningKey is null ? "none" : "***")}";
}
