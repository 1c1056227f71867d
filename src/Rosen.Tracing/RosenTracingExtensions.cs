using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Rosen.Tracing;

namespace OpenTelemetry;

/// <summary>Registers the Twist, Gravity and Rosen instrumentation with OpenTelemetry.</summary>
public static class RosenTracingExtensions
{
    /// <summary>
    /// Listens to every Twist and Gravity ActivitySource and stamps spans with the business transaction or event id
    /// (from the span, its parent, or propagated baggage).
    /// </summary>
    /// <param name="builder">The tracer provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    /// <remarks>Safe to call more than once; sources are added by name.</remarks>
    public static TracerProviderBuilder AddRosenTracing(this TracerProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddSource([.. RosenTelemetry.ActivitySourceNames]).AddProcessor(new BusinessTransactionProcessor());
    }

    /// <summary>Listens to every Twist and Gravity Meter.</summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The builder, for chaining.</returns>
    public static MeterProviderBuilder AddRosenMetrics(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddMeter([.. RosenTelemetry.MeterNames]);
    }
}
