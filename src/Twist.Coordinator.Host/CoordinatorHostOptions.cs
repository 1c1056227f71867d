namespace Twist.Coordinator.Host;

/// <summary>The host-only settings under <c>Twist:Host</c>, validated at start so a typo fails the start instead of a shutdown.</summary>
internal sealed class CoordinatorHostOptions
{
    /// <summary>The longest graceful stop the host accepts; an orchestrator kills a pod long before this anyway.</summary>
    public static readonly TimeSpan MaxShutdownTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Gets or sets how long a graceful stop (SIGTERM) lets in-flight deliveries record their outcomes.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets whether plain-http endpoints also speak HTTP/2 with prior knowledge (h2c, what gRPC clients send).</summary>
    public bool CleartextHttp2 { get; set; } = true;
}
