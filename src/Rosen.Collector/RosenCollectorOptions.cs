namespace Rosen.Collector;

/// <summary>Configures the span collector (configuration section <c>Rosen:Collector</c>).</summary>
public sealed class RosenCollectorOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string SectionName = "Rosen:Collector";

    /// <summary>Gets or sets the SQLite connection string of the default span store.</summary>
    /// <value>The default value is <c>Data Source=rosen-spans.db</c>.</value>
    public string ConnectionString { get; set; } = "Data Source=rosen-spans.db";

    /// <summary>Gets or sets the largest OTLP request accepted, in bytes, before and after decompression.</summary>
    /// <value>The default value is 8 MiB. Larger requests are answered 413 (HTTP) or RESOURCE_EXHAUSTED (gRPC).</value>
    public int MaxRequestBodySize { get; set; } = 8 * 1024 * 1024;

    /// <summary>Gets or sets how long spans are kept, counted from their start.</summary>
    /// <value>The default value is 7 days.</value>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Gets or sets how often spans past <see cref="Retention"/> are deleted.</summary>
    /// <value>The default value is 5 minutes.</value>
    public TimeSpan RetentionSweepInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the longest attribute value kept; longer values are cut and end with an ellipsis.</summary>
    /// <value>The default value is 4096 characters.</value>
    public int MaxAttributeValueLength { get; set; } = 4096;

    /// <summary>Gets or sets a value indicating whether the OTLP/gRPC <c>TraceService</c> is mapped too.</summary>
    /// <value>The default value is <see langword="true"/>. gRPC needs an HTTP/2 endpoint (Kestrel <c>Protocols=Http2</c>).</value>
    public bool EnableGrpc { get; set; } = true;
}
