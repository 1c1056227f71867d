using Gravity.Sync.Events;
using Gravity.Sync.Exporters;
using Gravity.Sync.Hosting;
using Gravity.Sync.Kafka;
using Gravity.Sync.Kafka.Internal;
using Gravity.Sync.Rules;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Plugs Kafka into the Gravity synchronizer: as its event source, and as "synced" exporters.</summary>
public static class GravitySyncKafkaBuilderExtensions
{
    /// <summary>
    /// Reads domain events from a Kafka topic instead of the embedded log, and publishes through
    /// <see cref="IGravityEventPublisher"/> (and the outbox relays) to that topic. Options are bound from the
    /// <c>Gravity:Kafka</c> configuration section (unknown keys are errors), then <paramref name="configure"/> runs;
    /// both are validated at start-up.
    /// </summary>
    /// <param name="builder">The Gravity builder returned by <c>AddGravitySync</c>.</param>
    /// <param name="configure">Configures the cluster, topic and consumer group.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// Each partition of the topic is an ordered source: positions are offsets + 1 and every database keeps its
    /// checkpoints per partition. The consumer group's offsets are committed only up to what every database has
    /// committed, so a crash makes Kafka redeliver and never lose. Per-key order needs every event of a view row in one
    /// partition: the Gravity publisher keys messages by <see cref="GravityEventData.Key"/> or
    /// <see cref="GravityKafkaOptions.KeyField"/>.
    /// </para>
    /// <para>
    /// Synchronizer instances with the same <see cref="GravityKafkaOptions.GroupId"/> share the topic's partitions
    /// through the consumer group: each partition is read by one instance at a time. When the group moves a partition
    /// (an instance joins or leaves), its old owner commits what it holds before the new owner starts from the
    /// databases' checkpoints; a killed instance's partitions move after <see cref="GravityKafkaOptions.SessionTimeout"/>.
    /// Within an instance, <c>Partitions</c> per database sets the parallel writers per topic partition.
    /// </para>
    /// <para>Safe to call more than once: services are added once and each <paramref name="configure"/> is applied.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IGravitySyncBuilder AddKafkaSource(this IGravitySyncBuilder builder, Action<GravityKafkaOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        GravityKafkaServiceCollectionExtensions.AddGravityKafkaCore(builder.Services, configure);
        builder.Services.Replace(ServiceDescriptor.Singleton<IGravityEventPublisher>(sp => sp.GetRequiredService<KafkaGravityEventPublisher>()));
        if (builder.Services.All(d => d.ServiceType != typeof(KafkaSourceMarker)))
        {
            builder.Services.AddSingleton<KafkaSourceMarker>();
            builder.UseSharedPartitionSource(sp => sp.GetRequiredService<KafkaEventSource>());
        }

        return builder;
    }

    /// <summary>
    /// Adds the exporter type <c>kafka</c>, so exporter.json entries of that type (the seed's <c>host</c>, <c>port</c>,
    /// <c>topic</c>, <c>username</c>, <c>password</c>) produce "synced" events to Kafka.
    /// </summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    public static IGravitySyncBuilder AddKafkaExporter(this IGravitySyncBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        GravityKafkaServiceCollectionExtensions.AddGravityKafkaCore(builder.Services, null);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IGravityExporter, KafkaSyncedEventExporter>());
        return builder;
    }

    /// <summary>
    /// Declares an exporter of type <c>kafka</c> named <paramref name="name"/> (rules list it in <c>"exporter"</c>):
    /// after an event is applied to a database, a "synced" event (<see cref="SyncedEvent"/> as JSON, with the original
    /// event id, database, table, key, position and W3C trace context in headers) is produced to its topic.
    /// </summary>
    /// <param name="builder">The Gravity builder.</param>
    /// <param name="name">The exporter name rules refer to. An exporter.json entry of that name keeps its settings, which these options override.</param>
    /// <param name="configure">Configures the exporter (also bound from <c>Gravity:Kafka:Exporters:&lt;name&gt;</c>).</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <remarks>Synced events are queued in the target database in the transaction of their rows and published from there after the commit; a failed publish is logged (event id 5030) and retried with capped back-off, so none is lost (at least once).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public static IGravitySyncBuilder AddKafkaExporter(this IGravitySyncBuilder builder, string name, Action<GravityKafkaExporterOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        builder.AddKafkaExporter();
        builder.Services.Configure<GravityKafkaOptions>(o =>
        {
            if (!o.Exporters.TryGetValue(name, out var exporter))
            {
                o.Exporters[name] = exporter = new GravityKafkaExporterOptions();
            }

            configure?.Invoke(exporter);
        });
        return builder.AddExporterDefinition(new ExporterDefinition { Name = name, Type = KafkaSyncedEventExporter.ExporterType });
    }

    private sealed class KafkaSourceMarker;
}
