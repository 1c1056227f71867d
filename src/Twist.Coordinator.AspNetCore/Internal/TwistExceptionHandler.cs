using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>
/// Answers exceptions that escape the Twist endpoints' own handling (for example from middleware in front of them)
/// with problem+json, when the request was for the Twist API. Active when the host calls <c>UseExceptionHandler()</c>.
/// </summary>
internal sealed class TwistExceptionHandler : IExceptionHandler
{
    private readonly ILogger logger;

    public TwistExceptionHandler(ILoggerFactory loggerFactory)
    {
        logger = loggerFactory.CreateLogger("Twist.Coordinator.AspNetCore");
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var isTwist = httpContext.GetEndpoint()?.Metadata.GetMetadata<TwistApiEndpointMetadata>() is not null
            || httpContext.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
        if (!isTwist)
        {
            return false;
        }

        var problem = Problems.TryMap(exception);
        if (problem is null)
        {
            Log.UnhandledException(logger, exception, httpContext.Request.Method, httpContext.Request.Path.Value ?? string.Empty);
            problem = Problems.InternalError();
        }

        await Problems.WriteAsync(httpContext, problem).ConfigureAwait(false);
        return true;
    }
}
