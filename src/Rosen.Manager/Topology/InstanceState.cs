namespace Rosen.Manager.Topology;

/// <summary>An instance the manager knows, with what registration and probing say about it.</summary>
public sealed record InstanceState
{
    public required string Id { get; init; }

    public required string Service { get; init; }

    public required InstanceKind Kind { get; init; }

    public required Uri Address { get; init; }

    public string? HealthPath { get; init; }

    public string? Version { get; init; }

    /// <summary>Gets a value indicating whether the instance comes from configuration (never expires).</summary>
    public bool Configured { get; init; }

    public DateTimeOffset RegisteredAt { get; init; }

    public DateTimeOffset LastHeartbeat { get; init; }

    public InstanceHealth ProbeHealth { get; init; }

    public DateTimeOffset? LastProbeAt { get; init; }

    public TimeSpan? ProbeLatency { get; init; }

    public string? ProbeDetail { get; init; }

    public Uri? HealthUri => string.IsNullOrEmpty(HealthPath) ? null : new Uri(Address, HealthPath);

    /// <summary>Gets the health shown: stale when a registered instance stopped sending heartbeats, else the probe's answer.</summary>
    public InstanceHealth HealthAt(DateTimeOffset now, TimeSpan expiry) =>
        !Configured && now - LastHeartbeat > expiry / 3 ? InstanceHealth.Stale : ProbeHealth;
}
