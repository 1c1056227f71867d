namespace Twist.Bench;

/// <summary>Which telemetry a tracing scenario switches on, beside Twist and Rosen's own spans (always on).</summary>
[Flags]
internal enum TracingParts
{
    /// <summary>Only Twist/Rosen spans, exported over OTLP.</summary>
    RosenSpans = 0,

    /// <summary>Twist/Rosen metrics (and the framework's, with <see cref="Framework"/>), exported over OTLP.</summary>
    Metrics = 1,

    /// <summary>ASP.NET Core and HttpClient spans (and their metrics, with <see cref="Metrics"/>).</summary>
    Framework = 2,

    /// <summary>Everything a user would switch on.</summary>
    All = Metrics | Framework,
}
