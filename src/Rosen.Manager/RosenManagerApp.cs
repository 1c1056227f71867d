using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Rosen.Collector;
using Rosen.Collector.PostgreSql;
using Rosen.Collector.Storage;
using Rosen.Manager.Api;
using Rosen.Manager.Audit;
using Rosen.Manager.Configuration;
using Rosen.Manager.Diagnostics;
using Rosen.Manager.Operations;
using Rosen.Manager.Security;
using Rosen.Manager.Topology;

namespace Rosen.Manager;

/// <summary>Composes the manager: collector, topology, transactions, sync, operator actions, login, health, telemetry.</summary>
public static class RosenManagerApp
{
    public const string LoginRateLimit = "login";
    private const string ReadyTag = "ready";

    /// <summary>Builds the manager from command-line arguments, environment variables and appsettings.json.</summary>
    /// <param name="args">The command-line arguments (e.g. <c>--urls http://127.0.0.1:5100</c>).</param>
    /// <param name="configure">Adjusts the builder before the app is built (tests use it), or <see langword="null"/>.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // Razor Pages are found in this assembly, also when a test or another host is the entry assembly.
            ApplicationName = typeof(RosenManagerApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);

        services.AddOptions<RosenManagerOptions>()
            .BindConfiguration(RosenManagerOptions.SectionName, binder => binder.ErrorOnUnknownConfiguration = true)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<RosenManagerOptions>, RosenManagerOptionsValidator>();
        services.TryAddSingletonTimeProvider();

        // Spans live in PostgreSQL when Rosen:Manager:PostgreSqlConnectionString is set, else in SQLite beside the audit
        // log unless Rosen:Collector:ConnectionString says otherwise. Registered first, so AddRosenCollector keeps it.
        services.AddSingleton<ISpanStore>(sp =>
        {
            var manager = sp.GetRequiredService<IOptions<RosenManagerOptions>>().Value;
            return string.IsNullOrWhiteSpace(manager.PostgreSqlConnectionString)
                ? new SqliteSpanStore(sp.GetRequiredService<IOptions<RosenCollectorOptions>>().Value.ConnectionString)
                : new PostgreSqlSpanStore(manager.PostgreSqlConnectionString, manager.PostgreSqlSchema);
        });
        services.AddRosenCollector();
        services.AddOptions<RosenCollectorOptions>().Configure<IOptions<RosenManagerOptions>, IConfiguration>((collector, manager, configuration) =>
        {
            if (string.IsNullOrEmpty(configuration[$"{RosenCollectorOptions.SectionName}:ConnectionString"]))
            {
                collector.ConnectionString = $"Data Source={Path.Combine(Path.GetFullPath(manager.Value.DataDirectory), "rosen-spans.db")}";
            }
        });

        services.AddSingleton<ManagerTelemetry>();
        services.AddSingleton<UserDirectory>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<InstanceRegistry>();
        services.AddSingleton<TopologyService>();
        services.AddSingleton<CoordinatorDirectory>();
        services.AddSingleton<SynchronizerDirectory>();
        services.AddHostedService<HealthProber>();
        services.AddHttpClient(HealthProber.HttpClientName);
        services.AddHttpClient(CoordinatorDirectory.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<RosenManagerOptions>>().Value.OperatorCallTimeout);

        AddSecurity(builder);
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/", RosenPolicies.Viewer);
            o.Conventions.AllowAnonymousToPage("/Login");
            o.Conventions.AllowAnonymousToPage("/Status");
        });
        services.AddProblemDetails();
        services.AddHealthChecks().AddCheck<SpanStoreReadinessCheck>("span-store", tags: [ReadyTag]);
        AddTelemetry(builder);

        configure?.Invoke(builder);

        var app = builder.Build();
        var options = app.Services.GetRequiredService<IOptions<RosenManagerOptions>>().Value;
        _ = app.Services.GetRequiredService<UserDirectory>(); // logs the one-time admin password at start, not at first login
        if (options.AllowAnonymousAgents)
        {
            ManagerLog.AnonymousAgents(app.Logger);
        }
        else if (options.AgentKeys.Count == 0)
        {
            ManagerLog.AgentsClosed(app.Logger);
        }

        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandlingPath = "/status/500" });
        app.UseWhen(IsPage, page => page.UseStatusCodePagesWithReExecute("/status/{0}"));
        app.Use(SecurityHeadersAsync);
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false }).DisableHttpMetrics();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).DisableHttpMetrics();
        app.MapRosenCollector().RequireAuthorization(RosenPolicies.Agent);
        app.MapInstancesApi();
        app.MapRazorPages();
        return app;
    }

    private static void AddSecurity(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication(RosenSchemes.Cookie)
            .AddCookie(RosenSchemes.Cookie, o =>
            {
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/status/403";
                o.Cookie.Name = "rosen.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.SlidingExpiration = true;
                o.Events.OnRedirectToLogin = context =>
                {
                    // APIs answer 401; pages go to the login form.
                    if (context.Request.Path.StartsWithSegments("/api"))
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                        return Task.CompletedTask;
                    }

                    context.Response.Redirect(context.RedirectUri);
                    return Task.CompletedTask;
                };
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    // A 403 stays a 403 (the status page explains it) instead of a redirect that looks like success.
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddScheme<AuthenticationSchemeOptions, AgentKeyAuthenticationHandler>(RosenSchemes.Agent, "Rosen agent key", null);
        services.AddOptions<CookieAuthenticationOptions>(RosenSchemes.Cookie).Configure<IOptions<RosenManagerOptions>>((cookie, manager) => cookie.ExpireTimeSpan = manager.Value.SessionLifetime);
        services.AddAuthorization(RosenPolicies.Add);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "rosen.csrf";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.HeaderName = null;
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(LoginRateLimit, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(context.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new FixedWindowRateLimiterOptions { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) })
                : RateLimitPartition.GetNoLimiter("read"));
        });
    }

    private static void AddTelemetry(WebApplicationBuilder builder)
    {
        // Exports only when the standard OTEL_EXPORTER_OTLP_ENDPOINT is set. Its own OTLP ingestion requests are not
        // traced, so pointing the manager at itself cannot feed back into an endless loop. Outgoing HTTP calls get no
        // client spans: HttpClient listeners are process-wide and would re-parent the spans of anything embedded with it.
        var export = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("rosen-manager"))
            .WithTracing(t =>
            {
                t.AddSource(ManagerTelemetry.Name, RosenCollectorTelemetry.Name)
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsIngestion(context));
                if (export)
                {
                    t.AddOtlpExporter();
                }
            })
            .WithMetrics(m =>
            {
                m.AddMeter(ManagerTelemetry.Name, RosenCollectorTelemetry.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation();
                if (export)
                {
                    m.AddOtlpExporter();
                }
            });
    }

    private static bool IsIngestion(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/v1")
        || context.Request.Path.StartsWithSegments("/opentelemetry.proto.collector.trace.v1.TraceService")
        || context.Request.Path.StartsWithSegments("/opentelemetry.proto.collector.logs.v1.LogsService");

    private static bool IsPage(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/api") && !IsIngestion(context) && !context.Request.Path.StartsWithSegments("/healthz") && !context.Request.Path.StartsWithSegments("/readyz");

    private static Task SecurityHeadersAsync(HttpContext context, Func<Task> next)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
        return next();
    }

    private static void TryAddSingletonTimeProvider(this IServiceCollection services)
    {
        if (!services.Any(d => d.ServiceType == typeof(TimeProvider)))
        {
            services.AddSingleton(TimeProvider.System);
        }
    }
}
