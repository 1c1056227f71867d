namespace Twist.Coordinator.Api.Tests.Infrastructure;

/// <summary>The API keys and JWT settings every test host is configured with.</summary>
internal static class TestKeys
{
    public const string Caller = "caller-key-0123456789abcdef";
    public const string CallerName = "checkout";
    public const string Operator = "operator-key-0123456789abcdef";
    public const string OperatorName = "ops-alice";
    public const string JwtSigningKey = "twist-tests-signing-key-0123456789-abcdefghijklmnopqrstuvwxyz";
    public const string JwtIssuer = "https://issuer.twist.test";
    public const string JwtAudience = "twist-coordinator";
}
