namespace Twist.Coordinator.AspNetCore;

/// <summary>Names the authentication schemes and authorization policies the Twist API registers.</summary>
public static class TwistApiDefaults
{
    /// <summary>The authentication scheme the Twist endpoints use; it forwards to the API key or the JWT scheme.</summary>
    public const string AuthenticationScheme = "TwistApi";

    /// <summary>The API key authentication scheme.</summary>
    public const string ApiKeyScheme = "TwistApiKey";

    /// <summary>The JWT bearer authentication scheme.</summary>
    public const string JwtBearerScheme = "TwistJwt";

    /// <summary>The authorization policy of the caller API: role <c>caller</c> or <c>operator</c>.</summary>
    public const string CallerPolicy = "TwistCaller";

    /// <summary>The authorization policy of the operator API: role <c>operator</c>.</summary>
    public const string OperatorPolicy = "TwistOperator";

    /// <summary>The route prefix of the REST API.</summary>
    public const string RoutePrefix = "/api/v1";
}
