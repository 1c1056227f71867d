namespace Twist.Coordinator.AspNetCore;

/// <summary>
/// Configures the Twist coordinator's HTTP and gRPC API: who may call it and how large a request may be. Bound from
/// the <c>Twist:Api</c> configuration section and validated at start-up.
/// </summary>
/// <remarks>
/// The API is secure by default: when neither <see cref="ApiKeys"/> nor <see cref="Jwt"/> is configured the host
/// refuses to start, unless <see cref="AllowAnonymous"/> is set explicitly.
/// </remarks>
public sealed class TwistApiOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Twist:Api";

    /// <summary>The default value of <see cref="MaxRequestBodySize"/>: 64 KiB.</summary>
    public const long DefaultMaxRequestBodySize = 64 * 1024;

    /// <summary>
    /// Gets the API keys accepted as <c>Authorization: ApiKey &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>.
    /// </summary>
    /// <value>The default value is empty. Configure keys from a secret store or environment variables
    /// (<c>Twist__Api__ApiKeys__0__Key</c>), never from a checked-in file.</value>
    public IList<TwistApiKey> ApiKeys { get; } = [];

    /// <summary>Gets or sets the JWT bearer settings; leave <see cref="TwistJwtOptions.Audience"/> unset to turn JWT off.</summary>
    public TwistJwtOptions Jwt { get; set; } = new();

    /// <summary>
    /// Gets or sets a value indicating whether the API may run without authentication. Meant for local development
    /// only; a warning (EventId 2000) is logged at start-up when it is on.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool AllowAnonymous { get; set; }

    /// <summary>Gets or sets the largest request body accepted, in bytes; larger bodies get 413 problem+json.</summary>
    /// <value>The default value is 65,536 (64 KiB). Allowed: 1,024 to 16,777,216.</value>
    public long MaxRequestBodySize { get; set; } = DefaultMaxRequestBodySize;

    /// <summary>Gets or sets a value indicating whether the <c>twist.v1.Coordinator</c> gRPC service is mapped.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableGrpc { get; set; } = true;

    /// <summary>Gets or sets a value indicating whether the operator API (<c>/api/v1/admin</c>) is mapped.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableOperatorApi { get; set; } = true;

    /// <summary>
    /// Gets or sets a value indicating whether the Brobridge Twist v1 compat routes are mapped: the task store
    /// (<c>/api/v1/tasks</c>), <c>POST /api/v1/transactions/{tid}</c> (confirm) and <c>DELETE /api/v1/transactions/{tid}</c>
    /// (cancel).
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool EnableCompatRoutes { get; set; } = true;
}
