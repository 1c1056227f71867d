using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Rosen.Collector;
using Rosen.Collector.Otlp;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the OTLP endpoints of the Rosen span collector.</summary>
public static class RosenCollectorEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>POST /v1/traces</c> and <c>POST /v1/logs</c> (OTLP/HTTP, protobuf, optionally gzip) and, unless
    /// <see cref="RosenCollectorOptions.EnableGrpc"/> is off, the OTLP/gRPC <c>TraceService</c> and <c>LogsService</c>.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <returns>A convention builder for every mapped endpoint, e.g. to add <c>RequireAuthorization</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException"><c>AddRosenCollector()</c> was not called.</exception>
    public static IEndpointConventionBuilder MapRosenCollector(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        if (endpoints.ServiceProvider.GetService<SpanIngestion>() is null)
        {
            throw new InvalidOperationException("The Rosen collector's services are missing; call services.AddRosenCollector() before MapRosenCollector().");
        }

        var traces = endpoints.MapPost(OtlpHttpEndpoint.TracesPath, static context => context.RequestServices.GetRequiredService<OtlpHttpEndpoint>().HandleTracesAsync(context))
            .WithDisplayName("OTLP/HTTP traces")
            .DisableAntiforgery();
        var logs = endpoints.MapPost(OtlpHttpEndpoint.LogsPath, static context => context.RequestServices.GetRequiredService<OtlpHttpEndpoint>().HandleLogsAsync(context))
            .WithDisplayName("OTLP/HTTP logs")
            .DisableAntiforgery();
        var builders = new List<IEndpointConventionBuilder> { traces, logs };
        if (endpoints.ServiceProvider.GetRequiredService<IOptions<RosenCollectorOptions>>().Value.EnableGrpc)
        {
            builders.Add(endpoints.MapGrpcService<OtlpGrpcTraceService>());
            builders.Add(endpoints.MapGrpcService<OtlpGrpcLogsService>());
        }

        return new CompositeConventionBuilder(builders);
    }

    private sealed class CompositeConventionBuilder(IReadOnlyList<IEndpointConventionBuilder> builders) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            foreach (var builder in builders)
            {
                builder.Add(convention);
            }
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            foreach (var builder in builders)
            {
                builder.Finally(finallyConvention);
            }
        }
    }
}
