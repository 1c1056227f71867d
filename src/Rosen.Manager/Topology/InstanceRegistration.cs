using System.Text.Json.Serialization;

namespace Rosen.Manager.Topology;

/// <summary>What an instance sends to <c>POST /api/v1/instances</c>, once at start and then as its heartbeat.</summary>
public sealed class InstanceRegistration
{
    /// <summary>Gets or sets a stable id of this instance (e.g. host name and port).</summary>
    public string? Id { get; set; }

    /// <summary>Gets or sets the service name (the same as its OpenTelemetry <c>service.name</c>).</summary>
    public string? Service { get; set; }

    /// <summary>Gets or sets <c>service</c>, <c>coordinator</c> or <c>synchronizer</c>.</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<InstanceKind>))]
    public InstanceKind? Kind { get; set; }

    /// <summary>Gets or sets the address the manager probes, e.g. <c>http://10.0.0.5:8080</c>.</summary>
    public Uri? Address { get; set; }

    /// <summary>Gets or sets the health path under <see cref="Address"/>.</summary>
    public string? HealthPath { get; set; }

    /// <summary>Gets or sets the instance's version, shown in the UI.</summary>
    public string? Version { get; set; }
}
