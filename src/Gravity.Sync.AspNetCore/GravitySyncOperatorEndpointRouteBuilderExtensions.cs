using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gravity.Sync.AspNetCore;
using Gravity.Sync.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Gravity synchronizer's HTTP operator API.</summary>
public static class GravitySyncOperatorEndpointRouteBuilderExtensions
{
    private const int MaxBodySize = 8 * 1024;

    /// <summary>
    /// Maps <c>GET {prefix}/status</c> (position, source head and parked keys per target database),
    /// <c>GET {prefix}/parked?database=</c> (parked events in position order), <c>POST {prefix}/replay</c>
    /// (<c>{"database","table","key"}</c>: applies a parked key's events again) and <c>POST {prefix}/snapshot</c>
    /// (<c>{"database","from"}</c>: empties a database and fills it again from a snapshot of another; answers 202 at
    /// once, and <c>GET status</c> shows the load's progress until the database follows the live stream again). Every call must carry
    /// <paramref name="apiKey"/> in the <c>X-Api-Key</c> header (compared in constant time); errors are problem+json:
    /// 401 without the key, 400 for a bad request or unknown key, 503 while the synchronizer is not running.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="prefix">The path the API lives under, e.g. <c>/gravity</c>.</param>
    /// <param name="apiKey">The key callers present; at least 16 characters.</param>
    /// <returns>The route group, for further conventions (e.g. <c>RequireHost</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="apiKey"/> is shorter than 16 characters.</exception>
    /// <exception cref="InvalidOperationException"><c>AddGravitySync()</c> was not called.</exception>
    public static RouteGroupBuilder MapGravitySyncOperatorApi(this IEndpointRouteBuilder endpoints, string prefix, string apiKey)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        if (apiKey is null || apiKey.Length < 16)
        {
            throw new ArgumentException("The Gravity operator API key must have at least 16 characters; the API is never open without one.", nameof(apiKey));
        }

        if (endpoints.ServiceProvider.GetService<IGravitySyncOperator>() is null)
        {
            throw new InvalidOperationException("The Gravity synchronizer is not registered; call services.AddGravitySync() before MapGravitySyncOperatorApi().");
        }

        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));
        var group = endpoints.MapGroup(prefix);

        // RequestDelegate handlers: no reflection over delegates, so the library stays trimmable and AOT-compatible.
        group.MapGet("/status", Guarded(expected, static async context =>
        {
            var sync = context.RequestServices.GetRequiredService<IGravitySyncOperator>();
            await WriteAsync(context, async c => Results.Json(await sync.GetStatusAsync(c.RequestAborted).ConfigureAwait(false), GravitySyncOperatorJsonContext.Default.IReadOnlyListTargetStatus)).ConfigureAwait(false);
        }));
        group.MapGet("/rules", Guarded(expected, static async context =>
        {
            var sync = context.RequestServices.GetRequiredService<IGravitySyncOperator>();
            await WriteAsync(context, async c => Results.Json(await sync.GetRuleStatusAsync(c.RequestAborted).ConfigureAwait(false), GravitySyncOperatorJsonContext.Default.IReadOnlyListRuleStatus)).ConfigureAwait(false);
        }));
        group.MapGet("/parked", Guarded(expected, static async context =>
        {
            var sync = context.RequestServices.GetRequiredService<IGravitySyncOperator>();
            var database = context.Request.Query["database"].ToString() is { Length: > 0 } name ? name : null;
            await WriteAsync(context, async c => Results.Json(await sync.ListParkedAsync(database, c.RequestAborted).ConfigureAwait(false), GravitySyncOperatorJsonContext.Default.IReadOnlyListParkedEvent)).ConfigureAwait(false);
        }));
        group.MapPost("/replay", Guarded(expected, static context => WriteAsync(context, ReplayAsync)));
        group.MapPost("/snapshot", Guarded(expected, static context => WriteAsync(context, ResetFromSnapshotAsync)));
        return group;
    }

    // Every call needs the key, compared in constant time (hashes of equal length, whatever was sent).
    private static RequestDelegate Guarded(byte[] expected, RequestDelegate handler) => async context =>
    {
        var presented = context.Request.Headers["X-Api-Key"].ToString();
        if (!CryptographicOperations.FixedTimeEquals(expected, SHA256.HashData(Encoding.UTF8.GetBytes(presented))))
        {
            await Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized", detail: "Send the operator API key in the X-Api-Key header.")
                .ExecuteAsync(context).ConfigureAwait(false);
            return;
        }

        await handler(context).ConfigureAwait(false);
    };

    private static async Task<IResult> ReplayAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "Send {\"database\",\"table\",\"key\"} as application/json.");
        }

        if (context.Request.ContentLength is > MaxBodySize)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large", detail: $"A replay request is at most {MaxBodySize} bytes.");
        }

        ParkedKey? key;
        try
        {
            key = await JsonSerializer.DeserializeAsync(context.Request.Body, GravitySyncOperatorJsonContext.Default.ParkedKey, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid JSON", detail: $"The body is not {{\"database\",\"table\",\"key\"}}: {ex.Message}");
        }

        if (key is null || string.IsNullOrEmpty(key.Database) || string.IsNullOrEmpty(key.Table) || string.IsNullOrEmpty(key.Key))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid replay request", detail: "Name the database, the table and the parked key (as listed by GET parked).");
        }

        var sync = context.RequestServices.GetRequiredService<IGravitySyncOperator>();
        return Results.Json(await sync.ReplayAsync(key, context.RequestAborted).ConfigureAwait(false), GravitySyncOperatorJsonContext.Default.ReplayResult);
    }

    private static async Task<IResult> ResetFromSnapshotAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type", detail: "Send {\"database\",\"from\"} as application/json.");
        }

        if (context.Request.ContentLength is > MaxBodySize)
        {
            return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large", detail: $"A snapshot request is at most {MaxBodySize} bytes.");
        }

        SnapshotResetRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, GravitySyncOperatorJsonContext.Default.SnapshotResetRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid JSON", detail: $"The body is not {{\"database\",\"from\"}}: {ex.Message}");
        }

        if (request is null || string.IsNullOrEmpty(request.Database) || string.IsNullOrEmpty(request.From))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid snapshot request", detail: "Name the database to reset and the database (or snapshot source) to fill it from.");
        }

        // The load outlives the request (it may take minutes): it is bound to the synchronizer, not to this call.
        // Bad names and a stopped synchronizer fail at once, before anything changes, and are answered here.
        var sync = context.RequestServices.GetRequiredService<IGravitySyncOperator>();
        var load = sync.ResetFromSnapshotAsync(request.Database, request.From, CancellationToken.None);
        if (load.IsFaulted)
        {
            await load.ConfigureAwait(false);
        }

        _ = load.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var path = context.Request.Path.Value ?? string.Empty;
        context.Response.Headers.Location = context.Request.PathBase + path[..(path.LastIndexOf('/') + 1)] + "status";
        return Results.Json(request, GravitySyncOperatorJsonContext.Default.SnapshotResetRequest, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task WriteAsync(HttpContext context, Func<HttpContext, Task<IResult>> call)
    {
        IResult result;
        try
        {
            result = await call(context).ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            result = Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid request", detail: ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            result = Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Synchronizer not running", detail: ex.Message);
        }

        await result.ExecuteAsync(context).ConfigureAwait(false);
    }
}
