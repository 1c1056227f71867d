using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Twist.Coordinator.Hosting;

namespace Twist.Coordinator.AspNetCore.Internal;

/// <summary>
/// The REST endpoints. Handlers are plain <see cref="RequestDelegate"/>s (no reflection, no request delegate
/// generator): each reads its body with <see cref="RequestBody"/> and runs inside <see cref="RunAsync"/>, which turns
/// every exception into problem+json, so no malformed input can produce a 5xx.
/// </summary>
internal sealed partial class TwistApiEndpoints
{
    private readonly TwistApiOptions apiOptions;
    private readonly IOptions<TwistCoordinatorOptions> coordinatorOptions;
    private readonly ILogger logger;
    private readonly List<(string[] Segments, string Method)> routes = [];

    public TwistApiEndpoints(IServiceProvider services)
    {
        apiOptions = services.GetRequiredService<IOptions<TwistApiOptions>>().Value;
        coordinatorOptions = services.GetRequiredService<IOptions<TwistCoordinatorOptions>>();
        logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Twist.Coordinator.AspNetCore");
    }

    public ILogger Logger => logger;

    private TimeSpan MaxTimeout => coordinatorOptions.Value.MaxTimeout;

    /// <summary>Maps every REST route onto <paramref name="group"/>, protected by the caller or operator policy.</summary>
    public void Map(IEndpointRouteBuilder group)
    {
        var caller = new List<IEndpointConventionBuilder>();
        var @operator = new List<IEndpointConventionBuilder>();
        const string Prefix = TwistApiDefaults.RoutePrefix;

        caller.Add(Add(group, HttpMethods.Post, Prefix + "/transactions", BeginAsync, "TwistBegin"));
        caller.Add(Add(group, HttpMethods.Get, Prefix + "/transactions/{tid}", GetAsync, "TwistGet"));
        caller.Add(Add(group, HttpMethods.Put, Prefix + "/transactions/{tid}", RegisterAsync, "TwistRegister"));
        caller.Add(Add(group, HttpMethods.Post, Prefix + "/transactions/{tid}/confirm", ConfirmAsync, "TwistConfirm"));
        caller.Add(Add(group, HttpMethods.Post, Prefix + "/transactions/{tid}/cancel", CancelAsync, "TwistCancel"));
        if (apiOptions.EnableCompatRoutes)
        {
            caller.Add(Add(group, HttpMethods.Post, Prefix + "/transactions/{tid}", ConfirmAsync, "TwistConfirmCompat"));
            caller.Add(Add(group, HttpMethods.Delete, Prefix + "/transactions/{tid}", CancelAsync, "TwistCancelCompat"));
            caller.Add(Add(group, HttpMethods.Post, Prefix + "/tasks", CreateTaskAsync, "TwistCreateTask"));
            caller.Add(Add(group, HttpMethods.Get, Prefix + "/tasks/{id}", GetTaskAsync, "TwistGetTask"));
            caller.Add(Add(group, HttpMethods.Delete, Prefix + "/tasks/{id}", CancelTaskAsync, "TwistCancelTask"));
        }

        if (apiOptions.EnableOperatorApi)
        {
            @operator.Add(Add(group, HttpMethods.Get, Prefix + "/admin/transactions", AdminListAsync, "TwistAdminList"));
            @operator.Add(Add(group, HttpMethods.Get, Prefix + "/admin/transactions/{tid}", AdminGetAsync, "TwistAdminGet"));
            @operator.Add(Add(group, HttpMethods.Post, Prefix + "/admin/transactions/{tid}/participants/{id}/retry", AdminRetryAsync, "TwistAdminRetry"));
            @operator.Add(Add(group, HttpMethods.Post, Prefix + "/admin/transactions/{tid}/participants/{id}/resolve", AdminResolveAsync, "TwistAdminResolve"));
            @operator.Add(Add(group, HttpMethods.Post, Prefix + "/admin/transactions/{tid}/force-cancel", AdminForceCancelAsync, "TwistAdminForceCancel"));
            @operator.Add(Add(group, HttpMethods.Get, Prefix + "/admin/audit", AdminAuditAsync, "TwistAdminAudit"));
        }

        if (!apiOptions.AllowAnonymous)
        {
            caller.ForEach(b => b.RequireAuthorization(TwistApiDefaults.CallerPolicy));
            @operator.ForEach(b => b.RequireAuthorization(TwistApiDefaults.OperatorPolicy));
        }

        // Anything else under /api is answered with problem+json (404, or 405 with Allow for a known path). It loses
        // to every other endpoint (Order 1) so host applications keep their own /api routes.
        group.Map("/api/{**path}", FallbackAsync)
            .WithOrder(1)
            .WithMetadata(TwistApiEndpointMetadata.Instance)
            .WithDisplayName("TwistApiFallback");
    }

    private IEndpointConventionBuilder Add(IEndpointRouteBuilder group, string method, string pattern, Func<HttpContext, Task> handler, string name)
    {
        routes.Add((pattern.Split('/', StringSplitOptions.RemoveEmptyEntries), method));
        return group.MapMethods(pattern, [method], new RequestDelegate(context => RunAsync(context, handler)))
            .WithMetadata(TwistApiEndpointMetadata.Instance)
            .WithName(name)
            .WithDisplayName(name);
    }

    /// <summary>Runs a handler and answers any exception with problem+json (500 only for genuine bugs).</summary>
    public async Task RunAsync(HttpContext context, Func<HttpContext, Task> handler)
    {
        try
        {
            await handler(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception ex)
        {
            var problem = Problems.TryMap(ex);
            if (problem is null)
            {
                Log.UnhandledException(logger, ex, context.Request.Method, context.Request.Path.Value ?? string.Empty);
                problem = Problems.InternalError();
            }
            else if (problem.Status == StatusCodes.Status503ServiceUnavailable)
            {
                Log.CoordinatorUnavailable(logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, ex.Message);
            }
            else
            {
                Log.RequestRejected(logger, context.Request.Method, context.Request.Path.Value ?? string.Empty, problem.Status, problem.Code);
            }

            await Problems.WriteAsync(context, problem).ConfigureAwait(false);
        }
    }

    private Task FallbackAsync(HttpContext context) => RunAsync(context, ctx =>
    {
        var segments = (ctx.Request.Path.Value ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var allowed = routes.Where(r => Matches(r.Segments, segments)).Select(r => r.Method).Distinct().ToArray();
        if (allowed.Length == 0)
        {
            throw new ApiProblemException(StatusCodes.Status404NotFound, ApiProblemCodes.RouteNotFound, $"No API route matches {ctx.Request.Method} {RequestValidation.Shorten(ctx.Request.Path.Value)}.");
        }

        ctx.Response.Headers.Allow = string.Join(", ", allowed);
        throw new ApiProblemException(StatusCodes.Status405MethodNotAllowed, ApiProblemCodes.MethodNotAllowed, $"{RequestValidation.Shorten(ctx.Request.Method)} is not allowed here; use {string.Join(", ", allowed)}.");
    });

    private static bool Matches(string[] pattern, string[] path)
    {
        if (pattern.Length != path.Length)
        {
            return false;
        }

        for (var i = 0; i < pattern.Length; i++)
        {
            if (!(pattern[i].StartsWith('{') || string.Equals(pattern[i], path[i], StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return true;
    }

    private Task<T?> ReadBodyAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class => RequestBody.ReadAsync(context, typeInfo, apiOptions.MaxRequestBodySize);

    private static async Task WriteAsync<T>(HttpContext context, int statusCode, T value, JsonTypeInfo<T> typeInfo)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted).ConfigureAwait(false);
    }

    private static string RouteValue(HttpContext context, string name) =>
        context.Request.RouteValues.TryGetValue(name, out var value) ? value as string ?? string.Empty : string.Empty;
}
