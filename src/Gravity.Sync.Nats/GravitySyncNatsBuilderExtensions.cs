using Gravity.Sync.Events;
using Gravity.Sync.Exporters;
using Gravity.Sync.Hosting;
using Gravity.Sync.Nats;
using Gravity.Sync.Nats.Internal;
using Gravity.Sync.Rules;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs NATS JetStream into the Gravity synchronizer: as its event source, and as "synced" exporters.</summary>
public static class GravitySyncNatsBuilderExtensions
{
    /// <summary>
    /// Reads domain events from a JetStream stream instead of the embedded log, and publishes through
    /// <see cref="IGravityEventPublisher"/> (and the outbox relays) into that stream. Options are bound from the
    /// <c>Gravity:Nats</c> configuration section (unknown keys are errors), then <paramref name="configure"/> runs;
    /// both are validated at start-up.
    /// </summary>
    /// <param name="builder">The Gravity builder returned by <c>AddGravitySync</c>.</param>
    /// <param name="configure">Configures the connection, stream and durable consumer.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// Positions are stream sequences. Each database resumes from its own checkpoints; the durable consumer
    /// (<see cref="GravityNatsOptions.ConsumerName"/>) is acknowledged only up to what every database has committed, so
    /// a crash makes JetStream redeliver and never lose. Per-key order comes from the synchronizer's key partitions.
    /// </para>
    /// <para>
    /// To share the work between several synchronizer instances, set <see cref="GravityNatsOptions.Partitions"/> (on
    /// the publishers too): events then go to one subject per key partition, each instance claims a fair share of the
    /// partitions through leases in <see cref="GravityNatsOptions.ClaimBucket"/>, and each partition is read by one
    /// instance at a time. A departing instance commits before it releases; a killed one's claims lapse after
    /// <see cref="GravityNatsOptions.ClaimTtl"/> and the others take them over from the databases' checkpoints.
    /// </para>
    /// <para>Safe to call more than once: services are added once and each <paramref name="configure"/> is applied.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IGravitySyncBuilder AddNatsJetStreamSource(this IGravitySyncBuilder builder, Action<GravityNatsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        GravityNatsServiceCollectionExtensions.AddGravityNatsCore(builder.Services, configure);
        builder.Services.Replace(ServiceDescriptor.Singleton<IGravityEventPublisher>(sp => sp.GetRequiredService<NatsGravityEventPublisher>()));
        builder.UseEventSource(sp => sp.GetRequiredService<NatsJetStreamEventSource>());
        if (builder.Services.All(d => d.ServiceType != typeof(NatsSourceMarker)))
        {
            builder.Services.AddSingleton<NatsSourceMarker>();
            builder.UseSharedPartitionSource(sp => sp.GetRequiredService<NatsSharedSource>());
        }

        return builder;
    }

    /// <summary>
    /// Adds the exporter type <c>nats</c>, so exporter.json entries of that type publish "synced" events to NATS
    /// (settings: <c>url</c> or <c>host</c>/<c>port</c>, <c>subject</c>, <c>stream</c>, <c>username</c>, <c>password</c>, <c>token</c>).
    /// </summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IGravitySyncBuilder AddNatsExporter(this IGravitySyncBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        GravityNatsServiceCollectionExtensions.AddGravityNatsCore(builder.Services, null);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IGravityExporter, NatsSyncedEventExporter>());
        return builder;
    }

    /// <summary>
    /// Declares an exporter of type <c>nats</c> named <paramref name="name"/> (rules list it in <c>"exporter"</c>):
    /// after an event is applied to a database, a "synced" event (<see cref="SyncedEvent"/> as JSON, with the original
    /// event id, database, table, key, position and W3C trace context in headers) goes to
    /// <c>&lt;subject&gt;.&lt;database&gt;.&lt;table&gt;</c>.
    /// </summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="name">The exporter name rules refer to. An exporter.json entry of that name keeps its settings, which these options override.</param>
    /// <param name="configure">Configures the exporter (also bound from <c>Gravity:Nats:Exporters:&lt;name&gt;</c>).</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>Synced events are queued in the target database in the transaction of their rows and published from there after the commit; a failed publish is logged (event id 5030) and retried with capped back-off, so none is lost (at least once).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static IGravitySyncBuilder AddNatsExporter(this IGravitySyncBuilder builder, string name, Action<GravityNatsExporterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.AddNatsExporter();
        builder.Services.Configure<GravityNatsOptions>(o =>
        {
            if (!o.Exporters.TryGetValue(name, out var exporter))
            {
                o.Exporters[name] = exporter = new GravityNatsExporterOptions();
            }

            configure?.Invoke(exporter);
        });
        return builder.AddExporterDefinition(new ExporterDefinition { Name = name, Type = NatsSyncedEventExporter.ExporterType });
    }

    private sealed class NatsSourceMarker;
}
