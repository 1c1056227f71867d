using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Rosen.Manager.Configuration;
using Rosen.Manager.Diagnostics;

namespace Rosen.Manager.Topology;

/// <summary>
/// The instances the manager knows: configured coordinators and synchronizers, plus instances that registered through
/// the API and keep sending heartbeats. Kept in memory: instances register again after a manager restart.
/// </summary>
public sealed class InstanceRegistry
{
    public const int MaxInstances = 2000;

    private readonly ConcurrentDictionary<string, InstanceState> instances = new(StringComparer.Ordinal);
    private readonly TimeProvider timeProvider;
    private readonly TimeSpan expiry;
    private readonly ILogger<InstanceRegistry> logger;

    public InstanceRegistry(IOptions<RosenManagerOptions> options, TimeProvider timeProvider, ILogger<InstanceRegistry> logger)
    {
        this.timeProvider = timeProvider;
        this.logger = logger;
        expiry = options.Value.InstanceExpiry;
        var now = timeProvider.GetUtcNow();
        foreach (var c in options.Value.Coordinators)
        {
            Add(new InstanceState { Id = "coordinator:" + c.Name, Service = c.Name, Kind = InstanceKind.Coordinator, Address = c.Address!, HealthPath = c.HealthPath, Configured = true, RegisteredAt = now, LastHeartbeat = now });
        }

        foreach (var s in options.Value.Synchronizers)
        {
            Add(new InstanceState { Id = "synchronizer:" + s.Name, Service = s.Name, Kind = InstanceKind.Synchronizer, Address = s.Address!, HealthPath = s.HealthPath, Configured = true, RegisteredAt = now, LastHeartbeat = now });
        }
    }

    public TimeSpan Expiry => expiry;

    /// <summary>Adds or refreshes a registered instance; false when the registry is full.</summary>
    public bool Upsert(string id, string service, InstanceKind kind, Uri address, string? healthPath, string? version)
    {
        var now = timeProvider.GetUtcNow();
        RemoveExpired(now);
        if (!instances.ContainsKey(id) && instances.Count >= MaxInstances)
        {
            return false;
        }

        var isNew = false;
        instances.AddOrUpdate(
            id,
            _ =>
            {
                isNew = true;
                return new InstanceState { Id = id, Service = service, Kind = kind, Address = address, HealthPath = healthPath, Version = version, RegisteredAt = now, LastHeartbeat = now };
            },
            (_, existing) => existing with { Service = service, Kind = kind, Address = address, HealthPath = healthPath, Version = version, LastHeartbeat = now });
        if (isNew)
        {
            ManagerLog.InstanceRegistered(logger, id, service, kind, address);
        }

        return true;
    }

    public bool Remove(string id) => instances.TryGetValue(id, out var state) && !state.Configured && instances.TryRemove(id, out _);

    public IReadOnlyList<InstanceState> List()
    {
        RemoveExpired(timeProvider.GetUtcNow());
        return instances.Values.OrderBy(i => i.Service, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal).ToList();
    }

    public InstanceHealth HealthOf(InstanceState instance) => instance.HealthAt(timeProvider.GetUtcNow(), expiry);

    internal void RecordProbe(string id, InstanceHealth health, TimeSpan latency, string detail)
    {
        var now = timeProvider.GetUtcNow();
        if (instances.TryGetValue(id, out var before))
        {
            var after = before with { ProbeHealth = health, LastProbeAt = now, ProbeLatency = latency, ProbeDetail = detail };
            if (instances.TryUpdate(id, after, before) && before.ProbeHealth != health)
            {
                ManagerLog.InstanceHealthChanged(logger, id, before.Service, health, detail);
            }
        }
    }

    private void Add(InstanceState state) => instances[state.Id] = state;

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var (id, state) in instances)
        {
            if (!state.Configured && now - state.LastHeartbeat > expiry)
            {
                instances.TryRemove(id, out _);
            }
        }
    }
}
