namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>Marks the Twist REST endpoints, so 401/403 and unhandled errors on them are answered with problem+json.</summary>
internal sealed class TwistApiEndpointMetadata
{
    public static readonly TwistApiEndpointMetadata Instance = new();

    private TwistApiEndpointMetadata()
    {
    }
}
