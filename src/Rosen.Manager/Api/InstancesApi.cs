using System.Text.Json;
using System.Text.RegularExpressions;
using Rosen.Manager.Security;
using Rosen.Manager.Topology;

namespace Rosen.Manager.Api;

/// <summary>
/// <c>/api/v1/instances</c>: services, coordinators and synchronizers register and heartbeat here (agent key), and
/// people list them (viewer login). Bad input is a 400 problem+json naming the field.
/// </summary>
internal static partial class InstancesApi
{
    private const int MaxBodySize = 16 * 1024;

    public static void MapInstancesApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/instances").DisableAntiforgery();
        group.MapPost("/", RegisterAsync).RequireAuthorization(RosenPolicies.Agent);
        group.MapDelete("/{id}", (string id, InstanceRegistry registry) => registry.Remove(id) ? Results.NoContent() : Results.Problem(statusCode: 404, title: "Instance not found", detail: $"No registered instance has the id '{Shorten(id)}'."))
            .RequireAuthorization(RosenPolicies.Agent);
        group.MapGet("/", (InstanceRegistry registry) => Results.Ok(registry.List().Select(i => new
        {
            i.Id,
            i.Service,
            Kind = i.Kind.ToString().ToLowerInvariant(),
            i.Address,
            i.HealthPath,
            i.Version,
            i.Configured,
            i.RegisteredAt,
            i.LastHeartbeat,
            Health = registry.HealthOf(i).ToString().ToLowerInvariant(),
            i.LastProbeAt,
            ProbeLatencyMs = i.ProbeLatency?.TotalMilliseconds,
            i.ProbeDetail,
        }))).RequireAuthorization(RosenPolicies.Viewer);
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, InstanceRegistry registry)
    {
        if (!context.Request.HasJsonContentType())
        {
            return Results.Problem(statusCode: 415, title: "Unsupported media type", detail: "Send the registration as application/json.");
        }

        if (context.Request.ContentLength > MaxBodySize)
        {
            return Results.Problem(statusCode: 413, title: "Request too large", detail: $"A registration is at most {MaxBodySize} bytes.");
        }

        InstanceRegistration? registration;
        try
        {
            using var limited = new MemoryStream();
            await context.Request.Body.CopyToAsync(limited, context.RequestAborted);
            if (limited.Length > MaxBodySize)
            {
                return Results.Problem(statusCode: 413, title: "Request too large", detail: $"A registration is at most {MaxBodySize} bytes.");
            }

            registration = JsonSerializer.Deserialize<InstanceRegistration>(limited.ToArray(), Json);
        }
        catch (JsonException ex)
        {
            return Results.Problem(statusCode: 400, title: "Invalid JSON", detail: $"The body is not a valid registration: {ex.Message}");
        }

        var errors = new Dictionary<string, string[]>();
        if (registration is null)
        {
            errors["body"] = ["The body is empty."];
        }
        else
        {
            if (registration.Id is null || !IdPattern().IsMatch(registration.Id))
            {
                errors["id"] = ["Use 1-200 letters, digits or . _ : - (e.g. host name and port)."];
            }

            if (string.IsNullOrWhiteSpace(registration.Service) || registration.Service.Length > 200)
            {
                errors["service"] = ["Name the service (1-200 characters), the same as its OpenTelemetry service.name."];
            }

            if (registration.Kind is null || !Enum.IsDefined(registration.Kind.Value))
            {
                errors["kind"] = ["Use service, coordinator or synchronizer."];
            }

            if (registration.Address is not { IsAbsoluteUri: true } address || (address.Scheme != Uri.UriSchemeHttp && address.Scheme != Uri.UriSchemeHttps) || address.AbsoluteUri.Length > 2000)
            {
                errors["address"] = ["Give an absolute http or https address the manager can probe."];
            }

            if (registration.HealthPath is { } path && (!path.StartsWith('/') || path.Length > 500))
            {
                errors["healthPath"] = ["Start the health path with / (at most 500 characters), or leave it out for /healthz."];
            }

            if (registration.Version is { Length: > 100 })
            {
                errors["version"] = ["At most 100 characters."];
            }
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors, title: "Invalid registration");
        }

        if (!registry.Upsert(registration!.Id!, registration.Service!.Trim(), registration.Kind!.Value, registration.Address!, registration.HealthPath ?? "/healthz", registration.Version))
        {
            return Results.Problem(statusCode: 429, title: "Too many instances", detail: $"The manager keeps at most {InstanceRegistry.MaxInstances} instances; remove stale ones or wait for them to expire.");
        }

        // Heartbeat well within the expiry so one lost heartbeat does not mark the instance stale.
        return Results.Ok(new { heartbeatSeconds = Math.Max(1, (int)(registry.Expiry.TotalSeconds / 6)) });
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { MaxDepth = 8 };

    private static string Shorten(string value) => value.Length <= 60 ? value : value[..60] + "…";

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,200}$")]
    private static partial Regex IdPattern();
}
