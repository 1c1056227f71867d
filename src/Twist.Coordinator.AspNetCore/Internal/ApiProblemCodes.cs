namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>
/// Stable problem codes of HTTP-level failures that have no counterpart in <see cref="Twist.Errors.TwistErrorCodes"/>
/// (they never surface from the coordinator itself).
/// </summary>
internal static class ApiProblemCodes
{
    /// <summary>The request body is not JSON (wrong or missing <c>Content-Type</c>).</summary>
    public const string UnsupportedMediaType = "unsupported-media-type";

    /// <summary>No route of the API matches the path.</summary>
    public const string RouteNotFound = "route-not-found";

    /// <summary>The path exists but not with that HTTP method.</summary>
    public const string MethodNotAllowed = "method-not-allowed";

    /// <summary>A bug: an unexpected exception. The detail never includes the exception text.</summary>
    public const string InternalError = "internal-error";
}
