namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>Thrown by the endpoints for HTTP-level problems (body too large, wrong media type, unknown route).</summary>
internal sealed class ApiProblemException : Exception
{
    public ApiProblemException(int statusCode, string code, string message, IReadOnlyDictionary<string, string[]>? errors = null)
        : base(message)
    {
        StatusCode = statusCode;
        Code = code;
        Errors = errors;
    }

    public int StatusCode { get; }

    public string Code { get; }

    public IReadOnlyDictionary<string, string[]>? Errors { get; }
}
